// Generating from several views against the client tests' shared daemon: a box drawn from the front, its right and
// above with three different extents must come back with those proportions (one picture cannot give its depth),
// the same from a turnaround sheet, a sheet that does not split fails with E_SHEET, and a missing side is named.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Orfeas.Bridge.Protocol;

namespace Orfeas.Bridge.Tests
{
    static class ViewClientTests
    {
        const string k_Group = "client";
        internal const int k_Panel = 96;
        const double k_Tolerance = 0.08; // of the height: the carved box is rounded and sampled on a 64-cell grid

        // The box in pixels of one scale: 40 wide (X), 80 high (Y), 64 deep (Z); so 0.5 and 0.8 of its height.
        internal static readonly int[] k_Front = { 40, 80 };
        internal static readonly int[] k_Side = { 64, 80 };
        static readonly int[] k_Top = { 40, 64 };
        internal static readonly uint k_Red = TestPictures.Rgba(200, 60, 40);
        internal static readonly uint k_Green = TestPictures.Rgba(40, 160, 60);
        static readonly uint k_Blue = TestPictures.Rgba(40, 60, 200);

        public static void Register(TestRun run, Func<TestDaemon> shared, string pictures)
        {
            run.Test(k_Group, "generate from front, right and top views: done, agreement 0–1, FBX and GLB intact, the box's depth", () =>
            {
                var front = TestPictures.WriteRow(Path.Combine(pictures, "box_front.png"), k_Panel, new[] { k_Front }, new[] { k_Red });
                var right = TestPictures.WriteRow(Path.Combine(pictures, "box_right.png"), k_Panel, new[] { k_Side }, new[] { k_Green });
                var top = TestPictures.WriteRow(Path.Combine(pictures, "box_top.png"), k_Panel, new[] { k_Top }, new[] { k_Blue });
                var set = ViewSet.FromFiles(new[] { top, front, right });
                Assert.Equal("front,right,top", string.Join(",", set.Views), "views by file name");
                using (var connection = ClientTests.Connect(shared().Home))
                {
                    var done = Generate(connection, set.GenerateRequest(Unity(), "box"));
                    Assert.Equal(null, ProtocolMessages.CheckDaemonMessage(done), "job.done is a valid protocol message");
                    var stats = (IDictionary<string, object>)done["stats"];
                    if (stats.TryGetValue("views", out var agreement))
                    {
                        var views = (IDictionary<string, object>)agreement;
                        Assert.True(views.Count > 0, "agreement for some view");
                        foreach (var pair in views)
                        {
                            Assert.True(set.Views.Contains(pair.Key), $"agreement of a view that was sent: {pair.Key}");
                            Assert.True((double)pair.Value >= 0 && (double)pair.Value <= 1, $"{pair.Key} agreement in 0..1: {pair.Value}");
                        }
                    }
                    var folder = Path.Combine(pictures, "downloads", "box");
                    var glb = Download(connection, done, "glb", folder);
                    Assert.Equal("glTF", Encoding.ASCII.GetString(glb, 0, 4), "GLB magic");
                    var fbx = Download(connection, done, "fbx", folder);
                    Assert.Equal("Kaydara FBX Binary", Encoding.ASCII.GetString(fbx, 0, 18), "FBX header");
                    CheckBox(glb, 0.8, "from the right view");
                }
            });

            run.Test(k_Group, "a turnaround sheet is split into its views; one that does not split fails with E_SHEET", () =>
            {
                var sheet = TestPictures.WriteRow(Path.Combine(pictures, "box_sheet.png"), k_Panel, new[] { k_Front, k_Side, k_Front }, new[] { k_Red, k_Green, k_Red });
                var lone = TestPictures.WriteRow(Path.Combine(pictures, "lone_sheet.png"), k_Panel, new[] { k_Front }, new[] { k_Red });
                using (var connection = ClientTests.Connect(shared().Home))
                {
                    var done = Generate(connection, ViewSet.Sheet(sheet, new[] { "front", "right", "back" }).GenerateRequest(Unity(), "box-sheet"));
                    CheckBox(Download(connection, done, "glb", Path.Combine(pictures, "downloads", "box-sheet")), 0.8, "from the sheet's right view");
                    var jobId = (string)ClientTests.Wait(connection.Request(ViewSet.Sheet(lone, ViewSet.SheetLayouts[0]).GenerateRequest(Unity(), "lone")))["jobId"];
                    var failed = ClientTests.NextEvent(connection, e => ClientTests.IsFinal(e, jobId), 120);
                    Assert.Equal("job.failed", failed["type"], "final event");
                    Assert.Equal("E_SHEET", failed["code"], $"code ({failed["message"]})");
                }
            });

            run.Test(k_Group, "a missing side's picture is refused, naming the view", () =>
            {
                using (var connection = ClientTests.Connect(shared().Home))
                {
                    var front = TestPictures.WriteRow(Path.Combine(pictures, "lost_front.png"), k_Panel, new[] { k_Front }, new[] { k_Red });
                    var request = ViewSet.Front(front).With("right", Path.Combine(pictures, "lost_right.png")).GenerateRequest();
                    var refused = ClientTests.Failure(connection.Request(request));
                    Assert.Equal("E_NOT_FOUND", refused.Code, $"code ({refused.Message})");
                    Assert.True(refused.Message.Contains("right"), $"the sentence names the view: {refused.Message}");
                    Assert.Equal("views.0.image", refused.Field, "the field names the picture");
                    Assert.Equal("pong", ClientTests.Wait(connection.Request(ClientTests.Message("ping")))["type"], "still connected");
                }
            });
        }

        // What the window asks for: the unity profile's FBX, with the GLB beside it; small, to keep the test quick.
        internal static IDictionary<string, object> Unity() => ClientTests.Options(
            "resolution", 64.0, "textureSize", 512.0, "formats", new List<object> { "glb", "fbx" }, "profile", "unity");

        static IDictionary<string, object> Generate(DaemonConnection connection, IDictionary<string, object> request)
        {
            var reply = ClientTests.Wait(connection.Request(request));
            Assert.Equal("accepted", reply["type"], "reply");
            var jobId = (string)reply["jobId"];
            var final = ClientTests.NextEvent(connection, e => ClientTests.IsFinal(e, jobId), 120);
            Assert.Equal("job.done", final["type"], $"final event ({(final.TryGetValue("message", out var why) ? why : "")})");
            return final;
        }

        // One file of the job, downloaded as the bridge downloads it and checked against its size and sha256.
        internal static byte[] Download(DaemonConnection connection, IDictionary<string, object> done, string format, string folder)
        {
            var file = ((List<object>)done["files"]).Cast<IDictionary<string, object>>().FirstOrDefault(f => (string)f["format"] == format);
            Assert.True(file != null, $"the job has a {format} file");
            var destination = Path.Combine(folder, (string)file["name"]);
            Assert.Equal(destination, ClientTests.Wait(connection.DownloadTo((string)done["assetId"], (string)file["name"], destination)), "download path");
            var bytes = File.ReadAllBytes(destination);
            Assert.Equal((double)bytes.Length, file["bytes"], $"{format} size");
            Assert.Equal(file["sha256"], ClientTests.Sha256(bytes), $"{format} sha256");
            Assert.False(File.Exists(destination + ".part"), "a partial file left");
            return bytes;
        }

        // The model's extents from the GLB's POSITION bounds: standing on the ground, as wide and deep as the box.
        internal static void CheckBox(byte[] glb, double depth, string why)
        {
            var length = BitConverter.ToInt32(glb, 12);
            var gltf = (IDictionary<string, object>)Json.Parse(Encoding.UTF8.GetString(glb, 20, length));
            var accessors = (List<object>)gltf["accessors"];
            var min = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
            var max = new[] { double.MinValue, double.MinValue, double.MinValue };
            foreach (var mesh in ((List<object>)gltf["meshes"]).Cast<IDictionary<string, object>>())
            {
                foreach (var primitive in ((List<object>)mesh["primitives"]).Cast<IDictionary<string, object>>())
                {
                    var position = (IDictionary<string, object>)accessors[(int)(double)((IDictionary<string, object>)primitive["attributes"])["POSITION"]];
                    for (var axis = 0; axis < 3; axis++)
                    {
                        min[axis] = Math.Min(min[axis], (double)((List<object>)position["min"])[axis]);
                        max[axis] = Math.Max(max[axis], (double)((List<object>)position["max"])[axis]);
                    }
                }
            }
            var size = Enumerable.Range(0, 3).Select(axis => max[axis] - min[axis]).ToArray();
            var shown = string.Join(" × ", size.Select(s => s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.True(Math.Abs(min[1]) < 1e-3, $"stands on the ground (lowest y {min[1]})");
            Assert.True(Math.Abs(size[0] / size[1] - 0.5) < k_Tolerance, $"width half the height: {shown}");
            Assert.True(Math.Abs(size[2] / size[1] - depth) < k_Tolerance, $"depth {depth} of the height {why}: {shown}");
        }
    }
}
