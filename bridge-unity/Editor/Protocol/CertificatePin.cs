// The check of a team server's certificate, made during the TLS handshake and so before a byte of the request (its
// token, the WebSocket upgrade, hello) is written: with a pinned fingerprint the certificate must be exactly that
// one, as a self-signed certificate cannot be checked against a certificate authority; without one it must pass
// this machine's own validation. One instance per connection remembers what was presented, for the sentence.
using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Validates one TLS connection to a <see cref="TeamServer"/> (a RemoteCertificateValidationCallback).</summary>
    public sealed class CertificatePin
    {
        const string k_Code = "E_CERTIFICATE";
        const int k_HashBytes = 32;

        readonly TeamServer m_Server;
        SslPolicyErrors m_Errors;
        bool m_Seen;
        bool m_Refused;

        /// <summary>A check of a connection to <paramref name="server"/>, by its pin if it has one.</summary>
        public CertificatePin(TeamServer server)
        {
            m_Server = server ?? throw new ArgumentNullException(nameof(server));
        }

        /// <summary>The fingerprint of the certificate the server presented, once the handshake got that far.</summary>
        public string Presented { get; private set; }

        /// <summary>True when this check turned the server's certificate down.</summary>
        public bool Refused => m_Refused;

        /// <summary>
        /// The callback: true to go on. With a pin, only the certificate with that SHA-256 is taken, whatever the chain
        /// says; without one, only a certificate this machine trusts for the server's name.
        /// </summary>
        public bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            try
            {
                m_Seen = true;
                m_Errors = errors;
                Presented = certificate != null ? Fingerprint(certificate) : null;
                var accepted = m_Server.Fingerprint != null ? Presented == m_Server.Fingerprint : errors == SslPolicyErrors.None;
                m_Refused = !accepted;
                return accepted;
            }
            catch (Exception) // a callback that throws reads as an opaque handshake failure; refuse with the sentence instead
            {
                m_Refused = true;
                return false;
            }
        }

        /// <summary>Why the certificate was turned down, naming the fingerprints, and that nothing was sent.</summary>
        public OrfeasException Refusal()
        {
            var server = m_Server.Url;
            if (!m_Seen || Presented == null)
                return new OrfeasException(k_Code, $"The server at {server} presented no certificate; nothing was sent. Check the URL.");
            if (m_Server.Fingerprint != null)
            {
                return new OrfeasException(k_Code, $"The server at {server} presented a certificate with SHA-256 fingerprint {Presented}, not the pinned "
                    + $"{m_Server.Fingerprint}; nothing was sent. If its certificate was replaced, ask whoever runs it for the new fingerprint "
                    + "(`orfeas status` on the server prints it) and pin that; otherwise this is not your server.");
            }
            return new OrfeasException(k_Code, $"The server at {server} presented a certificate this machine does not trust ({m_Errors}), with SHA-256 "
                + $"fingerprint {Presented}; nothing was sent. A self-signed server (`orfeas daemon --tls-self-signed`) prints its fingerprint "
                + "at start: check that it is this one and pin it.");
        }

        /// <summary>
        /// A certificate's SHA-256 fingerprint as the daemon prints it: colon hex, upper case. Hashes the DER bytes
        /// itself, as Mono's <c>GetCertHash(HashAlgorithmName)</c> throws PlatformNotSupportedException.
        /// </summary>
        public static string Fingerprint(X509Certificate certificate)
        {
            using (var sha256 = SHA256.Create())
                return string.Join(":", sha256.ComputeHash(certificate.GetRawCertData()).Select(b => b.ToString("X2")));
        }

        /// <summary>
        /// A fingerprint as pasted (<c>aa:bb:…</c>, <c>AABB…</c>, spaces allowed, or OpenSSL's <c>sha256 Fingerprint=AB:CD:…</c>)
        /// in the daemon's form, or null when empty.
        /// </summary>
        /// <exception cref="OrfeasException">E_SETTINGS: not 32 bytes of hex.</exception>
        public static string Normalize(string fingerprint)
        {
            var text = fingerprint ?? "";
            var value = text.Substring(text.LastIndexOf('=') + 1);
            var hex = new string(value.Where(c => c != ':' && !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
            if (hex.Length == 0)
                return null;
            if (hex.Length != k_HashBytes * 2 || !hex.All(Uri.IsHexDigit))
            {
                throw new OrfeasException("E_SETTINGS", $"\"{text.Trim()}\" is not a SHA-256 fingerprint: 32 pairs of hex digits (AB:CD:…) as the server "
                    + "prints it at start and in `orfeas status`, or empty to trust the certificate as this machine does.");
            }
            return string.Join(":", Enumerable.Range(0, k_HashBytes).Select(i => hex.Substring(i * 2, 2)));
        }
    }
}
