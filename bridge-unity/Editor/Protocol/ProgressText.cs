// Words for a job's progress, the same as the VS Code extension and the Blender add-on use.
using System;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Progress and time-left wording.</summary>
    public static class ProgressText
    {
        /// <summary>`texture · 46% · about 3 s left`.</summary>
        public static string Describe(string stage, double progress, double etaMs)
        {
            var percent = (int)Math.Round(Math.Min(1, Math.Max(0, progress)) * 100, MidpointRounding.AwayFromZero);
            var eta = etaMs > 0 && percent < 100 ? $" · {Eta(etaMs)}" : "";
            return $"{stage} · {percent}%{eta}";
        }

        /// <summary>`about 3 s left`, `about 2 min left`, `less than a second left`.</summary>
        public static string Eta(double etaMs)
        {
            if (etaMs < 1000)
                return "less than a second left";
            if (etaMs < 60000)
                return $"about {Math.Round(etaMs / 1000, MidpointRounding.AwayFromZero)} s left";
            return $"about {Math.Round(etaMs / 60000, MidpointRounding.AwayFromZero)} min left";
        }
    }
}
