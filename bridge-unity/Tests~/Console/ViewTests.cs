// ViewSet without a daemon: generate requests with several views or a sheet (the rules of
// daemon/src/protocol/views.ts, refused before sending), the protocol vectors it must reproduce, view names from
// file-name suffixes, finding a front's other views by name, and the agreement words of job.done.stats.views.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class ViewTests
    {
        const string k_Group = "views";
        const string k_Upload = "u_abcdefghijklmnopqrst";

        public static void Register(TestRun run, string root)
        {
            run.Test(k_Group, "a front alone is a plain generate request", () =>
            {
                var options = new Dictionary<string, object> { { "resolution", 64.0 } };
                var request = ViewSet.Front("/p/cat.png").GenerateRequest(options, "cat");
                Assert.Equal(Json.Parse("{\"type\":\"generate\",\"image\":{\"path\":\"/p/cat.png\"},\"options\":{\"resolution\":64},\"name\":\"cat\"}"), request, "request");
                Assert.Equal(new List<object> { "front" }, ViewSet.Front("/p/cat.png").Views.Cast<object>().ToList(), "views");
                Assert.Equal(Json.Parse("{\"type\":\"generate\",\"image\":{\"upload\":\"" + k_Upload + "\"}}"), ViewSet.Front(ViewSet.UploadSource(k_Upload)).GenerateRequest(), "by upload, nothing else");
                var inline = new Dictionary<string, object> { { "inline", true } };
                Assert.Equal(Json.Parse("{\"inline\":true}"), ViewSet.Front(inline).GenerateRequest()["image"], "the front may ride in a binary frame");
            });

            run.Test(k_Group, "views go beside the front in the order given, each once", () =>
            {
                var front = ViewSet.Front("/p/crate_front.png");
                var set = front.With("right", "/p/crate_right.png").With(" Top ", ViewSet.UploadSource(k_Upload));
                var request = set.GenerateRequest();
                Assert.Equal(Json.Parse("[{\"view\":\"right\",\"image\":{\"path\":\"/p/crate_right.png\"}},{\"view\":\"top\",\"image\":{\"upload\":\"" + k_Upload + "\"}}]"), request["views"], "views");
                Assert.False(request.ContainsKey("sheet"), "no sheet");
                Assert.Equal("front,right,top", string.Join(",", set.Views), "the set's views");
                Assert.Equal(Json.Parse("{\"path\":\"/p/crate_right.png\"}"), set.ImageOf("right"), "a side's picture");
                Assert.Equal(null, set.ImageOf("back"), "a side not given");
                Assert.Equal("front", string.Join(",", front.Views), "With leaves the set it was called on as it was");

                var twice = Refused(() => set.With("right", "/p/other_right.png"), "views.2.view");
                Assert.True(twice.Message.Contains("twice"), $"says twice: {twice.Message}");
                Assert.True(Refused(() => set.With("front", "/p/other.png"), "views.2.view").Message.Contains("front"), "a second front");
                Assert.True(Refused(() => set.With("side", "/p/side.png"), "views.2.view").Message.Contains("back, left, right or top"), "the views are named");
                var inline = Refused(() => set.With("back", new Dictionary<string, object> { { "inline", true } }), "views.2.image");
                Assert.True(inline.Message.Contains("the front"), $"a binary frame carries the front only: {inline.Message}");
                Refused(() => set.With("back", ""), "views.2.image");
                Refused(() => set.With("back", new Dictionary<string, object> { { "path", "/a.png" }, { "upload", k_Upload } }), "views.2.image");
            });

            run.Test(k_Group, "every view once: four sides at most", () =>
            {
                var set = ViewSet.Sides.Aggregate(ViewSet.Front("/p/a_front.png"), (s, side) => s.With(side, $"/p/a_{side}.png"));
                Assert.Equal("front,back,left,right,top", string.Join(",", set.Views), "all five");
                Assert.Equal(4, ((List<object>)set.GenerateRequest()["views"]).Count, "four sides");
                foreach (var side in ViewSet.Sides)
                    Refused(() => set.With(side, "/p/again.png"), "views.4.view");
            });

            run.Test(k_Group, "a sheet names two to five views, each once, the front among them", () =>
            {
                var sheet = ViewSet.Sheet("/p/chair_sheet.png", new[] { "Front", " right", "back" });
                var request = sheet.GenerateRequest();
                Assert.Equal(new List<object> { "front", "right", "back" }, request["sheet"], "names, left to right");
                Assert.False(request.ContainsKey("views"), "no separate views");
                Assert.True(sheet.IsSheet, "is a sheet");
                Assert.Equal(null, sheet.ImageOf("front"), "a sheet's views are not separate pictures");
                Refused(() => ViewSet.Sheet("/p/s.png", new[] { "front" }), "sheet");
                Refused(() => ViewSet.Sheet("/p/s.png", null), "sheet");
                Refused(() => ViewSet.Sheet("/p/s.png", new[] { "front", "back", "left", "right", "top", "front" }), "sheet");
                Assert.True(Refused(() => ViewSet.Sheet("/p/s.png", new[] { "front", "right", "front" }), "sheet.2").Message.Contains("twice"), "a view named twice");
                Assert.True(Refused(() => ViewSet.Sheet("/p/s.png", new[] { "right", "back" }), "sheet").Message.Contains("front"), "no front");
                Refused(() => ViewSet.Sheet("/p/s.png", new[] { "front", "side" }), "sheet.1");
                Assert.True(Refused(() => sheet.With("top", "/p/top.png"), "sheet").Message.Contains("not both"), "a sheet and a view");
                foreach (var layout in ViewSet.SheetLayouts)
                    Assert.Equal(layout.Cast<object>().ToList(), ViewSet.Sheet("/p/s.png", layout).GenerateRequest()["sheet"], "a window layout");
            });

            run.Test(k_Group, "the request is checked as the daemon checks it", () =>
            {
                var bad = new Dictionary<string, object> { { "resolution", 5.0 } };
                Refused(() => ViewSet.Front("/p/a.png").With("top", "/p/a_top.png").GenerateRequest(bad), "options.resolution");
                Refused(() => ViewSet.Front("/p/a.png").With("top", ViewSet.UploadSource("u_short")).GenerateRequest(), "views.0.image.upload");
                Refused(() => ViewSet.Front("/p/a.png").GenerateRequest(null, ""), "name");
                Refused(() => ViewSet.Front(""), "image");
                Refused(() => ViewSet.Front((string)null), "image");
                Refused(() => ViewSet.Front((IDictionary<string, object>)null), "image");
            });

            run.Test(k_Group, "the builder writes the protocol vectors", () =>
            {
                var folder = Path.Combine(root, "test", "protocol-vectors", "client", "valid");
                var views = ViewSet.Front("/nonexistent/orfeas-vectors/chair_front.png")
                    .With("right", "/nonexistent/orfeas-vectors/chair_right.png")
                    .With("top", ViewSet.UploadSource(k_Upload))
                    .With("back", "/nonexistent/orfeas-vectors/chair_back.png");
                Assert.Equal(VectorJson(folder, "generate-views.json"), WithId(views.GenerateRequest()), "generate-views.json");
                var sheet = ViewSet.Sheet("/nonexistent/orfeas-vectors/chair_sheet.png", new[] { "front", "right", "back" });
                Assert.Equal(VectorJson(folder, "generate-sheet.json"), WithId(sheet.GenerateRequest()), "generate-sheet.json");
            });

            run.Test(k_Group, "file-name suffixes name the views", () =>
            {
                var cases = new Dictionary<string, string>
                {
                    { "crate_front.png", "front" }, { "/p/Crate_RIGHT.PNG", "right" }, { "/p/q/crate_top.jpeg", "top" },
                    { "crate_back.webp", "back" }, { "crate_left", "left" }, { "right.png", "right" }, { "a_b_left.tiff", "left" },
                    { "crate.png", null }, { "crateright.png", null }, { "crate_right_2.png", null }, { "my_topping.png", null },
                    { "crate-top.png", null }, { "crate_front.png.meta", null }, { "", null },
                };
                foreach (var pair in cases)
                    Assert.Equal(pair.Value, ViewSet.ViewOf(pair.Key), $"ViewOf(\"{pair.Key}\")");
                Assert.Equal(null, ViewSet.ViewOf(null), "ViewOf(null)");
                var bases = new Dictionary<string, string>
                {
                    { "/p/crate_front.png", "crate" }, { "Crate_Top.jpg", "Crate" }, { "a_b_right.png", "a_b" }, { "front.png", "front" }, { "crate.png", "crate" },
                };
                foreach (var pair in bases)
                    Assert.Equal(pair.Value, ViewSet.BaseName(pair.Key), $"BaseName(\"{pair.Key}\")");
            });

            run.Test(k_Group, "pictures named by suffix make a set: one front, each side once", () =>
            {
                var set = ViewSet.FromFiles(new[] { "/p/crate_top.png", "/p/crate_front.png", "/p/crate_right.png" });
                Assert.Equal("front,right,top", string.Join(",", set.Views), "sides in view order");
                Assert.Equal(Json.Parse("{\"path\":\"/p/crate_front.png\"}"), set.ImageOf("front"), "the front");
                Assert.Equal(Json.Parse("{\"path\":\"/p/crate_top.png\"}"), set.ImageOf("top"), "the top");
                var unsuffixed = ViewSet.FromFiles(new[] { "/p/crate_back.png", "/p/crate.png" });
                Assert.Equal(Json.Parse("{\"path\":\"/p/crate.png\"}"), unsuffixed.ImageOf("front"), "a name with no view is the front");
                Assert.Equal("front,back", string.Join(",", unsuffixed.Views), "and the back beside it");
                Assert.True(Refused(() => ViewSet.FromFiles(new[] { "/p/a_front.png", "/p/b_front.png" }), "image").Message.Contains("a_front.png and b_front.png"), "two fronts are named");
                Refused(() => ViewSet.FromFiles(new[] { "/p/a.png", "/p/a_front.png" }), "image");
                Refused(() => ViewSet.FromFiles(new[] { "/p/a_front.png", "/p/a_right.png", "/p/b_right.png" }), "views");
                Assert.True(Refused(() => ViewSet.FromFiles(new[] { "/p/a_right.png", "/p/a_top.png" }), "image").Message.Contains("front"), "no front");
                Refused(() => ViewSet.FromFiles(new string[0]), "image");
            });

            run.Test(k_Group, "a front's other views are found beside it by name", () =>
            {
                var files = new[]
                {
                    "/p/crate_front.png", "/p/crate_right.png", "/p/CRATE_Top.JPG", "/p/box_left.png", "/p/crate.png",
                    "/p/crate_back.png", "/p/crate_back.jpg", "/p/right.png",
                };
                var found = ViewSet.Beside("/p/crate_front.png", files);
                Assert.Equal("right=/p/crate_right.png,top=/p/CRATE_Top.JPG", string.Join(",", found.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")), "same base, any case; a side two files claim is left out");
                Assert.Equal(0, ViewSet.Beside("/p/crate.png", files).Count, "a front not named as one finds nothing");
                Assert.Equal("right=/p/right.png", string.Join(",", ViewSet.Beside("/p/front.png", files).Select(p => $"{p.Key}={p.Value}")), "front.png finds right.png");
                Assert.Equal(0, ViewSet.Beside(null, files).Count, "no front");
            });

            run.Test(k_Group, "agreement per view reads as words", () =>
            {
                var stats = (IDictionary<string, object>)Json.Parse("{\"vertices\":3,\"views\":{\"top\":0.875,\"front\":1,\"right\":0.934}}");
                Assert.Equal("front 1.00 · right 0.93 · top 0.88", ViewSet.DescribeAgreement(stats), "in view order");
                Assert.Equal(null, ViewSet.DescribeAgreement((IDictionary<string, object>)Json.Parse("{\"vertices\":3}")), "one picture");
                Assert.Equal(null, ViewSet.DescribeAgreement(null), "no stats");
                Assert.Equal("back 0.50", ViewSet.DescribeAgreement(new Dictionary<string, object> { { "views", new Dictionary<string, object> { { "back", 0.5f } } } }), "any number type");
            });
        }

        static OrfeasException Refused(Action body, string field)
        {
            var error = Assert.Throws<OrfeasException>(body, $"refused at {field}");
            Assert.Equal("E_BAD_MESSAGE", error.Code, $"code ({error.Message})");
            Assert.Equal(field, error.Field, $"field ({error.Message})");
            Assert.True(error.Message.Length > 0, "a sentence");
            return error;
        }

        static object VectorJson(string folder, string file) => ((IDictionary<string, object>)Json.Parse(File.ReadAllText(Path.Combine(folder, file))))["json"];

        // The vectors carry a request id; the connection adds one when it sends.
        static IDictionary<string, object> WithId(IDictionary<string, object> request) => new Dictionary<string, object>(request) { ["id"] = "7" };
    }
}
