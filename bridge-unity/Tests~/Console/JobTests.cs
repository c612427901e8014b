// Job views as the window shows them: events applied in order, the progress words VS Code and Blender also use,
// recent jobs from `job.list`, and how many finished jobs are kept.
using System.Collections.Generic;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class JobTests
    {
        const string k_Group = "jobs";
        const string k_A = "j_aaaaaaaaaaaaaaaaaaaa";
        const string k_B = "j_bbbbbbbbbbbbbbbbbbbb";

        public static void Register(TestRun run, string root)
        {
            run.Test(k_Group, "progress words", () =>
            {
                Assert.Equal("texture · 46% · about 3 s left", ProgressText.Describe("texture", 0.456, 3200), "seconds");
                Assert.Equal("mesh · 10% · less than a second left", ProgressText.Describe("mesh", 0.1, 400), "under a second");
                Assert.Equal("shape · 20% · about 3 min left", ProgressText.Describe("shape", 0.2, 150000), "minutes (halves round up, as in JS)");
                Assert.Equal("mesh · 13% · about 3 s left", ProgressText.Describe("mesh", 0.125, 2500), "halves round up");
                Assert.Equal("export · 100%", ProgressText.Describe("export", 1.0, 10), "done");
                Assert.Equal("decode · 0%", ProgressText.Describe("decode", -1, 0), "clamped");
            });

            run.Test(k_Group, "events move a job to done and the bar never goes back", () =>
            {
                var book = new JobBook();
                book.Add(k_A, "cat");
                Assert.Equal("queued (2 ahead)", book.Apply(Event("job.state", k_A, "state", "queued", "position", 2.0)).Describe(), "queued");
                Assert.Equal("texture · 50% · about 2 s left", book.Apply(Progress(k_A, "texture", 0.5, 2000)).Describe(), "running");
                Assert.Equal(0.5, book.Apply(Progress(k_A, "mesh", 0.4, 3000)).Progress, "progress kept");
                var files = new List<object> { new Dictionary<string, object> { { "name", "cat.fbx" }, { "format", "fbx" } } };
                var view = book.Apply(Event("job.done", k_A, "assetId", new string('a', 64), "files", files));
                Assert.Equal("done", view.State, "state");
                Assert.Equal("cat.fbx", view.FileOf("fbx"), "file");
                Assert.False(view.Active, "finished");
                Assert.Equal(null, book.Apply(Event("job.done", k_B, "files", new List<object>())), "an unknown job is not tracked");
            });

            run.Test(k_Group, "a repeated final event is ignored", () =>
            {
                var book = new JobBook();
                book.Add(k_A, "cat");
                var files = new List<object> { new Dictionary<string, object> { { "name", "cat.fbx" }, { "format", "fbx" } } };
                book.Apply(Event("job.state", k_A, "state", "done"));
                Assert.False(book.IsRepeat(Event("job.done", k_A, "files", files)), "a done state before the event is not the event");
                Assert.Equal("cat.fbx", book.Apply(Event("job.done", k_A, "files", files)).FileOf("fbx"), "first applied");
                Assert.True(book.IsRepeat(Event("job.done", k_A, "files", new List<object>())), "second done is a repeat");
                Assert.Equal(null, book.Apply(Event("job.failed", k_A, "code", "E_X", "message", "x", "stage", "decode")), "a later failure is a repeat too");
                Assert.Equal("done", book.Get(k_A).State, "state kept");
                Assert.False(book.IsRepeat(Event("job.done", k_B, "files", files)), "an unknown job is never a repeat");
            });

            run.Test(k_Group, "failed and cancelled", () =>
            {
                var book = new JobBook();
                book.Add(k_A, "cat");
                book.Add(k_B, "dog");
                book.Apply(Event("job.failed", k_A, "code", "E_IMAGE_NO_SUBJECT", "message", "No subject.", "stage", "segment"));
                book.Apply(Event("job.cancelled", k_B));
                Assert.Equal("dog:cancelled:cancelled,cat:failed:No subject.", string.Join(",", book.Views.Select(v => $"{v.Name}:{v.State}:{v.Describe()}")), "views");
                Assert.Equal(0, book.Active.Count(), "none active");
            });

            run.Test(k_Group, "recent jobs load below and the oldest finished go", () =>
            {
                var book = new JobBook(3);
                book.Add(k_A, "running");
                var listed = Enumerable.Range(0, 5).Select(i => (IDictionary<string, object>)new Dictionary<string, object>
                {
                    { "jobId", $"j_{i:D20}" }, { "kind", "generate" }, { "name", $"old{i}" }, { "state", "done" }, { "files", new List<object>() },
                }).ToList();
                listed.Add(new Dictionary<string, object> { { "jobId", "j_" + new string('p', 20) }, { "kind", "pull" }, { "name", "model" }, { "state", "done" } });
                book.Load(listed);
                Assert.Equal("running,old0,old1,old2", string.Join(",", book.Views.Select(v => v.Name)), "loaded");
                book.Add(k_B, "new");
                Assert.Equal("new,running,old0,old1,old2", string.Join(",", book.Views.Select(v => v.Name)), "added on top");
            });
        }

        static IDictionary<string, object> Event(string type, string jobId, params object[] fields)
        {
            var e = new Dictionary<string, object> { { "type", type }, { "jobId", jobId } };
            for (var i = 0; i < fields.Length; i += 2)
                e[(string)fields[i]] = fields[i + 1];
            return e;
        }

        static IDictionary<string, object> Progress(string jobId, string stage, double progress, double eta) =>
            Event("job.progress", jobId, "stage", stage, "stageIndex", 0.0, "stageCount", 7.0, "progress", progress, "stageProgress", 0.5, "etaMs", eta);
    }
}
