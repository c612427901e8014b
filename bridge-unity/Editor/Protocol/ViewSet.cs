// The pictures of one generation: the front with any of back, left, right and top beside it, or one turnaround
// sheet holding several views side by side (generate's `views` and `sheet`, daemon/src/protocol/views.ts). It checks
// at once what the JSON Schema cannot (one front, each side once, a sheet that names the front), so the window says
// what is wrong before anything is sent; the request it builds is then checked against the schema as the daemon would.
// View names say where the camera stands, the object's front toward +Z: `right` has the front on the left of its
// picture, `left` on the right, `top` at the bottom.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>A front picture with other views of the same object, or a turnaround sheet; immutable.</summary>
    /// <example><code>
    /// var request = ViewSet.Front("/pictures/crate_front.png").With("right", "/pictures/crate_right.png")
    ///     .GenerateRequest(options, "crate");
    /// var sheet = ViewSet.Sheet("/pictures/crate_sheet.png", new[] { "front", "right", "back" }).GenerateRequest();
    /// </code></example>
    public sealed class ViewSet
    {
        const string k_Front = "front";
        const string k_Code = "E_BAD_MESSAGE";
        const int k_SheetMin = 2;
        const string k_CheckId = "check";

        static readonly string[] k_Names = { "front", "back", "left", "right", "top" };
        static readonly string[] k_Sides = { "back", "left", "right", "top" };

        // The sheets artists draw most: a turnaround from the front toward the object's right, and with a top view.
        static readonly IReadOnlyList<string>[] k_Layouts =
        {
            Array.AsReadOnly(new[] { "front", "right", "back" }),
            Array.AsReadOnly(new[] { "front", "right" }),
            Array.AsReadOnly(new[] { "front", "left", "back", "right" }),
            Array.AsReadOnly(new[] { "front", "right", "back", "top" }),
        };

        readonly IDictionary<string, object> m_Image;
        readonly KeyValuePair<string, IDictionary<string, object>>[] m_Sides;
        readonly string[] m_Sheet;

        ViewSet(IDictionary<string, object> image, KeyValuePair<string, IDictionary<string, object>>[] sides, string[] sheet)
        {
            m_Image = image;
            m_Sides = sides;
            m_Sheet = sheet;
        }

        /// <summary>Every view name, front first: front, back, left, right, top.</summary>
        public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(k_Names);

        /// <summary>The views that may be given beside the front: back, left, right, top.</summary>
        public static IReadOnlyList<string> Sides { get; } = Array.AsReadOnly(k_Sides);

        /// <summary>Common sheet layouts, left to right (the window's choices).</summary>
        public static IReadOnlyList<IReadOnlyList<string>> SheetLayouts { get; } = Array.AsReadOnly(k_Layouts);

        /// <summary>The front picture, or the sheet (an image source: <c>{"path": …}</c> or <c>{"upload": …}</c>).</summary>
        public IDictionary<string, object> Image => new Dictionary<string, object>(m_Image);

        /// <summary>True when <see cref="Image"/> is a turnaround sheet.</summary>
        public bool IsSheet => m_Sheet != null;

        /// <summary>The views this set shows: the sheet's, left to right; else the front and then the sides given.</summary>
        public IReadOnlyList<string> Views => Array.AsReadOnly(m_Sheet ?? new[] { k_Front }.Concat(m_Sides.Select(s => s.Key)).ToArray());

        /// <summary>An image source for a picture on this machine (the daemon reads it; an absolute path).</summary>
        public static IDictionary<string, object> PathSource(string path) => new Dictionary<string, object> { { "path", path } };

        /// <summary>An image source for a picture already sent with <c>POST /v1/uploads</c>.</summary>
        public static IDictionary<string, object> UploadSource(string uploadId) => new Dictionary<string, object> { { "upload", uploadId } };

        /// <summary>The front picture alone, by path.</summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: no path.</exception>
        public static ViewSet Front(string path) => Front(PathSource(path));

        /// <summary>
        /// The front picture alone: a path or upload source, or <c>{"inline": true}</c> when the request goes out as a
        /// binary frame carrying it.
        /// </summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: not an image source.</exception>
        public static ViewSet Front(IDictionary<string, object> image) =>
            new ViewSet(Source(image, "image", "The front picture", true), new KeyValuePair<string, IDictionary<string, object>>[0], null);

        /// <summary>A turnaround sheet by path, holding <paramref name="views"/> left to right.</summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: see <see cref="Sheet(IDictionary{string, object}, IEnumerable{string})"/>.</exception>
        public static ViewSet Sheet(string path, IEnumerable<string> views) => Sheet(PathSource(path), views);

        /// <summary>
        /// A turnaround sheet: one picture holding <paramref name="views"/> side by side, left to right, on one
        /// background. The daemon splits it, and fails the job with E_SHEET when it does not split into that many.
        /// </summary>
        /// <exception cref="OrfeasException">
        /// E_BAD_MESSAGE: fewer than two or more than five views, a name that is not a view, a view named twice, or no
        /// front; or not an image source.
        /// </exception>
        public static ViewSet Sheet(IDictionary<string, object> image, IEnumerable<string> views)
        {
            var names = (views ?? Enumerable.Empty<string>()).Select(Normal).ToArray();
            if (names.Length < k_SheetMin || names.Length > k_Names.Length)
                throw new OrfeasException(k_Code, $"A sheet holds {k_SheetMin} to {k_Names.Length} views; name them left to right, e.g. front,right,back.", "sheet");
            for (var i = 0; i < names.Length; i++)
            {
                if (Array.IndexOf(k_Names, names[i]) < 0)
                    throw new OrfeasException(k_Code, $"\"{names[i]}\" is not a view (sheet.{i}); use {Words(k_Names)}.", $"sheet.{i}");
                if (Array.IndexOf(names, names[i]) < i)
                    throw new OrfeasException(k_Code, $"The sheet names the {names[i]} view twice (sheet.{i}). Name each view once, left to right.", $"sheet.{i}");
            }
            if (Array.IndexOf(names, k_Front) < 0)
                throw new OrfeasException(k_Code, $"The sheet's views ({string.Join(", ", names)}) do not include the front. Name the views left to right, e.g. front,right,back.", "sheet");
            return new ViewSet(Source(image, "image", "The sheet", true), new KeyValuePair<string, IDictionary<string, object>>[0], names);
        }

        /// <summary>This set with the picture of one more side, by path.</summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: see <see cref="With(string, IDictionary{string, object})"/>.</exception>
        public ViewSet With(string view, string path) => With(view, PathSource(path));

        /// <summary>
        /// This set with the picture of one more side (<c>back</c>, <c>left</c>, <c>right</c> or <c>top</c>), by path or
        /// upload: a binary frame carries one picture, the front.
        /// </summary>
        /// <exception cref="OrfeasException">
        /// E_BAD_MESSAGE: this is a sheet, the view is the front or not a view, it is given already, or the image is not
        /// a path or upload source.
        /// </exception>
        public ViewSet With(string view, IDictionary<string, object> image)
        {
            var i = m_Sides.Length;
            var name = Normal(view);
            if (m_Sheet != null)
                throw new OrfeasException(k_Code, "Give either a sheet (one picture holding several views) or separate view pictures, not both.", "sheet");
            if (name == k_Front)
                throw new OrfeasException(k_Code, $"The front is the main picture and is given once; add the others as {Words(k_Sides)}.", $"views.{i}.view");
            if (Array.IndexOf(k_Sides, name) < 0)
                throw new OrfeasException(k_Code, $"\"{name}\" is not a view; use {Words(k_Sides)}.", $"views.{i}.view");
            if (m_Sides.Any(s => s.Key == name))
                throw new OrfeasException(k_Code, $"The {name} view is given twice (views.{i}). Give each side once.", $"views.{i}.view");
            var source = Source(image, $"views.{i}.image", $"The {name} view", false);
            return new ViewSet(m_Image, m_Sides.Concat(new[] { new KeyValuePair<string, IDictionary<string, object>>(name, source) }).ToArray(), null);
        }

        /// <summary>The image source of one view of this set, or null when it is not given (or this is a sheet).</summary>
        public IDictionary<string, object> ImageOf(string view)
        {
            if (m_Sheet != null)
                return null;
            var name = Normal(view);
            if (name == k_Front)
                return Image;
            var found = m_Sides.FirstOrDefault(s => s.Key == name).Value;
            return found != null ? new Dictionary<string, object>(found) : null;
        }

        /// <summary>
        /// The pictures of one object named by their files (<see cref="ViewOf"/>): the file with the <c>_front</c>
        /// suffix, or the one without a view suffix, is the front; the sides go in the order back, left, right, top.
        /// </summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE: no picture, no front or two, or a side given twice.</exception>
        public static ViewSet FromFiles(IEnumerable<string> paths)
        {
            var files = (paths ?? Enumerable.Empty<string>()).Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (files.Count == 0)
                throw new OrfeasException(k_Code, "No pictures given: pick the front, and the other views named …_back, …_left, …_right or …_top.", "image");
            var byView = files.GroupBy(f => ViewOf(f) ?? k_Front).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var group in byView.Where(g => g.Value.Count > 1))
            {
                var which = group.Key == k_Front ? "the front (named …_front, or with no view suffix)" : $"the {group.Key} view";
                throw new OrfeasException(k_Code, $"{Words(group.Value.Select(Path.GetFileName).ToArray(), "and")} would all be {which}. Give each view one picture.", group.Key == k_Front ? "image" : "views");
            }
            if (!byView.ContainsKey(k_Front))
                throw new OrfeasException(k_Code, $"None of these pictures is the front ({string.Join(", ", files.Select(Path.GetFileName))}): name it …_front, or leave its name without a view suffix.", "image");
            var set = Front(byView[k_Front][0]);
            foreach (var side in k_Sides.Where(byView.ContainsKey))
                set = set.With(side, byView[side][0]);
            return set;
        }

        /// <summary>
        /// The view a picture's file name says, or null: <c>crate_right.png</c> → <c>right</c>, <c>Crate_Top.jpg</c> →
        /// <c>top</c>, <c>right.png</c> → <c>right</c>, <c>crate.png</c> → null. Only the name is read, never the file.
        /// </summary>
        public static string ViewOf(string path)
        {
            var stem = Stem(path).ToLowerInvariant();
            foreach (var view in k_Names)
            {
                if (stem == view || stem.EndsWith("_" + view, StringComparison.Ordinal))
                    return view;
            }
            return null;
        }

        /// <summary>
        /// A picture's file name without its extension and view suffix, for the model's name: <c>crate_front.png</c> →
        /// <c>crate</c>; a name that is only a view (<c>front.png</c>) stays as it is.
        /// </summary>
        public static string BaseName(string path)
        {
            var stem = Stem(path);
            var view = ViewOf(path);
            return view != null && stem.Length > view.Length ? stem.Substring(0, stem.Length - view.Length - 1) : stem;
        }

        /// <summary>
        /// The other views of <paramref name="front"/> among <paramref name="files"/>, by view: the files named as a
        /// side with the same base name (<see cref="BaseName"/>, any case), e.g. <c>crate_front.png</c> finds
        /// <c>crate_right.png</c> and <c>Crate_Top.jpg</c>, and <c>front.png</c> finds <c>right.png</c>. Nothing when
        /// the front's name does not say <c>front</c>, and nothing for a side that two files claim.
        /// </summary>
        public static IReadOnlyDictionary<string, string> Beside(string front, IEnumerable<string> files)
        {
            var found = new Dictionary<string, string>();
            if (ViewOf(front) != k_Front)
                return found;
            var stem = Family(front);
            var candidates = (files ?? Enumerable.Empty<string>())
                .Where(f => Array.IndexOf(k_Sides, ViewOf(f)) >= 0 && string.Equals(Family(f), stem, StringComparison.OrdinalIgnoreCase));
            foreach (var group in candidates.GroupBy(ViewOf).Where(g => g.Count() == 1))
                found[group.Key] = group.First();
            return found;
        }

        /// <summary>
        /// How well each view agrees with the model (<c>job.done.stats.views</c>, outline IoU 0–1), in view order:
        /// <c>front 0.97 · right 0.93 · top 0.88</c>; null when the stats carry none (a model from one picture).
        /// </summary>
        public static string DescribeAgreement(IDictionary<string, object> stats)
        {
            if (stats == null || !stats.TryGetValue("views", out var value) || !(value is IDictionary<string, object> views))
                return null;
            var parts = new List<string>();
            foreach (var view in k_Names)
            {
                if (views.TryGetValue(view, out var iou) && Json.TryGetNumber(iou, out var agreement))
                    parts.Add($"{view} {agreement.ToString("0.00", CultureInfo.InvariantCulture)}");
            }
            return parts.Count > 0 ? string.Join(" · ", parts) : null;
        }

        /// <summary>
        /// The <c>generate</c> request for these pictures, with <paramref name="options"/> and <paramref name="name"/>
        /// when given, checked as the daemon checks it.
        /// </summary>
        /// <exception cref="OrfeasException">E_BAD_MESSAGE naming the field the schema refuses (an option out of range, a bad path).</exception>
        public IDictionary<string, object> GenerateRequest(IDictionary<string, object> options = null, string name = null)
        {
            var request = new Dictionary<string, object> { { "type", "generate" }, { "image", Image } };
            if (m_Sides.Length > 0)
            {
                request["views"] = m_Sides.Select(s => (object)new Dictionary<string, object>
                {
                    { "view", s.Key }, { "image", new Dictionary<string, object>(s.Value) },
                }).ToList();
            }
            if (m_Sheet != null)
                request["sheet"] = m_Sheet.Cast<object>().ToList();
            if (options != null)
                request["options"] = options;
            if (name != null)
                request["name"] = name;
            // The connection gives each request its id as it sends it; the check needs one.
            var checkedRequest = ProtocolMessages.ParseClientMessage((object)new Dictionary<string, object>(request) { ["id"] = k_CheckId });
            if (!checkedRequest.Ok)
                throw checkedRequest.ToException();
            return request;
        }

        // A copy of an image source, refused here when it is not one, so the sentence names the picture.
        static IDictionary<string, object> Source(IDictionary<string, object> image, string field, string what, bool inline)
        {
            var kinds = inline ? "a path, an upload id or an inline frame" : "a path or an upload id";
            if (image == null || image.Count != 1)
                throw new OrfeasException(k_Code, $"{what} needs {kinds}.", field);
            var pair = image.First();
            var text = pair.Value as string;
            if ((pair.Key == "path" || pair.Key == "upload") && string.IsNullOrEmpty(text))
                throw new OrfeasException(k_Code, $"{what} has no {pair.Key}: pick a picture.", field);
            if (pair.Key == "inline" && !inline)
                throw new OrfeasException(k_Code, $"{what}: a binary frame carries one picture, the front. Send the other views by path or upload.", field);
            if (pair.Key != "path" && pair.Key != "upload" && !(pair.Key == "inline" && Equals(pair.Value, true)))
                throw new OrfeasException(k_Code, $"{what} needs {kinds}.", field);
            return new Dictionary<string, object>(image);
        }

        // What files of one object share: the base name, or nothing for names that are only a view (front.png, right.png).
        static string Family(string path) => ViewOf(path) == Stem(path).ToLowerInvariant() ? "" : BaseName(path);

        static string Normal(string view) => (view ?? "").Trim().ToLowerInvariant();

        static string Stem(string path) => Path.GetFileNameWithoutExtension(path ?? "");

        static string Words(IReadOnlyList<string> words, string conjunction = "or") =>
            words.Count < 2 ? string.Join("", words) : $"{string.Join(", ", words.Take(words.Count - 1))} {conjunction} {words[words.Count - 1]}";
    }
}
