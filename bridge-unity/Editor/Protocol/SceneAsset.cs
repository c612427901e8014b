// The asset a pushed file belongs to. An `import` of a scene carries no assetId (it names the scene); each of its
// files' url does: /v1/assets/<assetId>/<file>.
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Reads the asset id out of a pushed file's url.</summary>
    public static class SceneAsset
    {
        static readonly Regex k_Url = new Regex(@"/assets/([a-f0-9]{64})/");

        /// <summary>The asset id in <paramref name="file"/>'s `url`, or null.</summary>
        public static string Of(IDictionary<string, object> file)
        {
            var match = file.TryGetValue("url", out var url) && url is string text ? k_Url.Match(text) : Match.Empty;
            return match.Success ? match.Groups[1].Value : null;
        }
    }
}
