// The jobs the window lists: this session's and the recent ones the daemon reports, newest first, at most `keep`
// finished. Job events update them; engine-free so the rules are tested under mono.
using System.Collections.Generic;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Job views by id, newest first.</summary>
    public sealed class JobBook
    {
        /// <summary>The events that end a job.</summary>
        public static readonly HashSet<string> FinalEvents = new HashSet<string> { "job.done", "job.failed", "job.cancelled" };

        readonly int m_Keep;
        readonly List<JobView> m_Jobs = new List<JobView>();

        /// <summary>A book keeping at most <paramref name="keep"/> finished jobs.</summary>
        public JobBook(int keep = 10)
        {
            m_Keep = keep;
        }

        /// <summary>How many finished jobs are kept.</summary>
        public int Keep => m_Keep;

        /// <summary>Every view, newest first.</summary>
        public IReadOnlyList<JobView> Views => m_Jobs;

        /// <summary>Queued and running jobs.</summary>
        public IEnumerable<JobView> Active => m_Jobs.Where(j => j.Active);

        /// <summary>The view of a job, or null.</summary>
        public JobView Get(string jobId) => m_Jobs.FirstOrDefault(j => j.JobId == jobId);

        /// <summary>Starts tracking a job (or moves it to the top).</summary>
        public JobView Add(string jobId, string name)
        {
            var view = Get(jobId) ?? new JobView { JobId = jobId, Name = name };
            m_Jobs.Remove(view);
            m_Jobs.Insert(0, view);
            Trim();
            return view;
        }

        /// <summary>Adds the generation jobs of a `jobs` reply (newest first) below the ones already known.</summary>
        public void Load(IEnumerable<IDictionary<string, object>> jobs)
        {
            foreach (var job in jobs)
            {
                var id = (string)job["jobId"];
                if (Get(id) != null || (string)job["kind"] != "generate")
                    continue;
                var view = new JobView { JobId = id, Name = (string)job["name"], State = (string)job["state"] };
                if (job.TryGetValue("assetId", out var asset))
                    view.AssetId = (string)asset;
                if (job.TryGetValue("files", out var files))
                    view.Files = ((IEnumerable<object>)files).Cast<IDictionary<string, object>>().ToList();
                if (job.TryGetValue("stats", out var stats))
                    view.Stats = (IDictionary<string, object>)stats;
                if (job.TryGetValue("error", out var error))
                {
                    var e = (IDictionary<string, object>)error;
                    view.ErrorCode = (string)e["code"];
                    view.Error = (string)e["message"];
                }
                view.Ended = !view.Active;
                m_Jobs.Add(view);
            }
            Trim();
        }

        /// <summary>
        /// Whether the event is a second final event (done, failed, cancelled) of a job this book tracks. The daemon
        /// sends one per job and subscription; a repeat is ignored all the same, so nothing is imported twice.
        /// </summary>
        public bool IsRepeat(IDictionary<string, object> e)
        {
            var view = e.TryGetValue("jobId", out var id) ? Get(id as string) : null;
            return view != null && view.Ended && FinalEvents.Contains((string)e["type"]);
        }

        /// <summary>Applies a `job.*` event; returns the updated view, or null for a job this book does not track and
        /// for a repeated final event.</summary>
        public JobView Apply(IDictionary<string, object> e)
        {
            var view = e.TryGetValue("jobId", out var id) ? Get(id as string) : null;
            if (view == null || IsRepeat(e))
                return null;
            if (FinalEvents.Contains((string)e["type"]))
                view.Ended = true;
            switch ((string)e["type"])
            {
                case "job.state":
                    view.State = (string)e["state"];
                    view.Position = e.TryGetValue("position", out var position) ? (int?)(int)(double)position : null;
                    break;
                case "job.progress":
                    view.State = "running";
                    view.Stage = (string)e["stage"];
                    view.Progress = System.Math.Max(view.Progress, (double)e["progress"]);
                    view.EtaMs = (double)e["etaMs"];
                    break;
                case "job.done":
                    view.State = "done";
                    view.Progress = 1;
                    view.EtaMs = 0;
                    view.AssetId = e.TryGetValue("assetId", out var asset) ? (string)asset : null;
                    view.Files = ((IEnumerable<object>)e["files"]).Cast<IDictionary<string, object>>().ToList();
                    view.Stats = e.TryGetValue("stats", out var stats) ? (IDictionary<string, object>)stats : null;
                    break;
                case "job.failed":
                    view.State = "failed";
                    view.ErrorCode = (string)e["code"];
                    view.Error = (string)e["message"];
                    break;
                case "job.cancelled":
                    view.State = "cancelled";
                    break;
            }
            return view;
        }

        void Trim()
        {
            var finished = m_Jobs.Where(j => !j.Active).Skip(m_Keep).ToList();
            foreach (var view in finished)
                m_Jobs.Remove(view);
        }
    }
}
