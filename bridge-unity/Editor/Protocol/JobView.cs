// What the editor window shows of one job; updated from job events by JobBook.
using System.Collections.Generic;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>One job as the window lists it.</summary>
    public sealed class JobView
    {
        /// <summary>The daemon's job id.</summary>
        public string JobId;
        /// <summary>The model's name.</summary>
        public string Name;
        /// <summary>`queued`, `running`, `done`, `failed` or `cancelled`.</summary>
        public string State = "queued";
        /// <summary>The stage running now.</summary>
        public string Stage = "";
        /// <summary>Overall progress, 0–1; never goes back.</summary>
        public double Progress;
        /// <summary>Estimated time left.</summary>
        public double EtaMs;
        /// <summary>Jobs ahead in the queue, when queued.</summary>
        public int? Position;
        /// <summary>The asset once done.</summary>
        public string AssetId;
        /// <summary>The asset's files once done (`job.done.files`).</summary>
        public IReadOnlyList<IDictionary<string, object>> Files = new IDictionary<string, object>[0];
        /// <summary>`job.done.stats`, once done.</summary>
        public IDictionary<string, object> Stats;
        /// <summary>The error code when failed.</summary>
        public string ErrorCode;
        /// <summary>The daemon's sentence when failed.</summary>
        public string Error;

        /// <summary>A final event (or a finished listing) has been applied: a repeat of it is ignored.</summary>
        public bool Ended;

        /// <summary>Queued or running.</summary>
        public bool Active => State == "queued" || State == "running";

        /// <summary>The name of the first file of this format, or null.</summary>
        public string FileOf(string format) => Files.Where(f => (string)f["format"] == format).Select(f => (string)f["name"]).FirstOrDefault();

        /// <summary>One line for the window: `texture · 46% · about 3 s left`, `queued (2 ahead)`, `done`, or the error.</summary>
        public string Describe()
        {
            if (State == "running" && Stage != "")
                return ProgressText.Describe(Stage, Progress, EtaMs);
            if (State == "queued")
                return Position > 0 ? $"queued ({Position} ahead)" : "queued";
            if (State == "failed")
                return Error ?? "failed";
            return State;
        }
    }
}
