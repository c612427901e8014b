// Pictures for a team server, which cannot read this machine's files (it answers a path with E_PATH): the front
// travels inline in the generate frame, or is uploaded when it is larger than a frame may be; the other views are
// uploaded first (a binary frame carries one picture). DaemonConnection.Generate uses this in server mode, and its
// Request refuses a generate that still names a path (PathField) before anything is sent.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Turns a <see cref="ViewSet"/> of local files into a generate request a team server can take.</summary>
    public static class ServerPictures
    {
        static readonly Dictionary<string, string> k_Types = new Dictionary<string, string>
        {
            { ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" }, { ".webp", "image/webp" },
            { ".gif", "image/gif" }, { ".tif", "image/tiff" }, { ".tiff", "image/tiff" }, { ".avif", "image/avif" },
        };

        /// <summary>The field of a request that names a file by path (<c>image</c>, <c>views.1.image</c>), or null.</summary>
        public static string PathField(IDictionary<string, object> message)
        {
            if (IsPath(message.TryGetValue("image", out var image) ? image : null))
                return "image";
            var views = message.TryGetValue("views", out var list) ? list as IList<object> : null;
            for (var i = 0; views != null && i < views.Count; i++)
            {
                var view = views[i] as IDictionary<string, object>;
                if (view != null && IsPath(view.TryGetValue("image", out var source) ? source : null))
                    return $"views.{i}.image";
            }
            return null;
        }

        /// <summary>
        /// The generate request for <paramref name="pictures"/> with every local file sent: the sides (and a front
        /// over <paramref name="maxInline"/> bytes) uploaded, the front's bytes returned to go inline (null when
        /// it was uploaded or was an upload already).
        /// </summary>
        /// <exception cref="OrfeasException">
        /// E_NOT_FOUND: a picture cannot be read; E_BAD_MESSAGE: an inline front without its bytes; the upload's errors.
        /// </exception>
        public static async Task<Tuple<IDictionary<string, object>, byte[]>> Prepare(TeamServer server, ViewSet pictures, IDictionary<string, object> options, string name, int maxInline)
        {
            var image = pictures.Image;
            byte[] inline = null;
            if (IsPath(image))
            {
                var bytes = Read((string)image["path"], "image");
                if (bytes.Length <= maxInline)
                {
                    inline = bytes;
                    image = new Dictionary<string, object> { { "inline", true } };
                }
                else
                {
                    image = ViewSet.UploadSource(await TeamHttp.Upload(server, bytes, TypeOf((string)image["path"])).ConfigureAwait(false));
                }
            }
            else if (image.ContainsKey("inline"))
            {
                throw new OrfeasException("E_BAD_MESSAGE", "Give the front by path or upload: its bytes are read and sent for you.", "image");
            }
            var set = pictures.IsSheet ? ViewSet.Sheet(image, pictures.Views) : ViewSet.Front(image);
            var sides = pictures.IsSheet ? new string[0] : pictures.Views.Skip(1).ToArray();
            for (var i = 0; i < sides.Length; i++)
            {
                var source = pictures.ImageOf(sides[i]);
                if (IsPath(source))
                {
                    var path = (string)source["path"];
                    source = ViewSet.UploadSource(await TeamHttp.Upload(server, Read(path, $"views.{i}.image"), TypeOf(path)).ConfigureAwait(false));
                }
                set = set.With(sides[i], source);
            }
            return Tuple.Create(set.GenerateRequest(options, name), inline);
        }

        static bool IsPath(object source) => source is IDictionary<string, object> image && image.ContainsKey("path");

        static byte[] Read(string path, string field)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new OrfeasException("E_NOT_FOUND", $"Cannot read the picture {path}: {e.Message}", field);
            }
        }

        // The daemon reads the bytes whatever the type says, but takes only image/* bodies.
        static string TypeOf(string path) => k_Types.TryGetValue(Path.GetExtension(path).ToLowerInvariant(), out var type) ? type : "image/png";
    }
}
