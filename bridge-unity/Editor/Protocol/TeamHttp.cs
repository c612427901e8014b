// A team server's HTTP routes, with the user token: POST /v1/uploads for pictures (a team server cannot read this
// machine's files) and GET /v1/assets/:assetId/:file for models, checked against the sha256 the server gives as
// its ETag. Each request opens its own connection, checked by a CertificatePin of its own before anything is
// written, so no request rides on a connection that another pin let through.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Orfeas.Bridge.Protocol
{
    /// <summary>Uploads and downloads on a <see cref="TeamServer"/>.</summary>
    public static class TeamHttp
    {
        static readonly TimeSpan k_Timeout = TimeSpan.FromMinutes(5);

        /// <summary>Sends one picture; the task ends with its upload id for an image source (<see cref="ViewSet.UploadSource"/>).</summary>
        /// <exception cref="OrfeasException">
        /// E_CERTIFICATE (nothing was sent), the server's refusal (E_AUTH, E_IMAGE_TOO_LARGE, E_RATE_LIMIT, …), E_CONNECTION, E_TIMEOUT.
        /// </exception>
        public static async Task<string> Upload(TeamServer server, byte[] picture, string contentType)
        {
            var reply = await Send(server, "POST", "/v1/uploads", picture, contentType).ConfigureAwait(false);
            return UploadId(server, Parse(reply.Item1));
        }

        /// <summary>One file of an asset; the bytes are checked against the sha256 the server sends with them.</summary>
        /// <exception cref="OrfeasException">
        /// E_CERTIFICATE (nothing was sent), E_NOT_FOUND and the server's other refusals, E_DOWNLOAD (damaged), E_CONNECTION, E_TIMEOUT.
        /// </exception>
        public static async Task<byte[]> Download(TeamServer server, string assetId, string file)
        {
            var route = $"/v1/assets/{Uri.EscapeDataString(assetId)}/{Uri.EscapeDataString(file)}";
            var reply = await Send(server, "GET", route, null, null).ConfigureAwait(false);
            var bytes = reply.Item1;
            var tag = (reply.Item2 ?? "").Trim('"');
            string sha256;
            using (var hash = SHA256.Create())
                sha256 = string.Concat(hash.ComputeHash(bytes).Select(b => b.ToString("x2")));
            if (tag != sha256)
                throw new OrfeasException("E_DOWNLOAD", $"{file} arrived damaged (checksum mismatch); try again.");
            return bytes;
        }

        // The body and ETag of a 2xx answer; anything else becomes the server's coded error or E_CONNECTION.
        static async Task<Tuple<byte[], string>> Send(TeamServer server, string method, string route, byte[] body, string contentType)
        {
            var pin = new CertificatePin(server);
            var request = (HttpWebRequest)WebRequest.Create(new Uri(server.Http, route));
            request.Method = method;
            request.KeepAlive = false;
            request.AllowAutoRedirect = false; // the token goes to this server and nowhere else
            request.Proxy = null; // as the WebSocket: straight to the server
            request.Headers[HttpRequestHeader.Authorization] = "Bearer " + server.Token;
            request.ServerCertificateValidationCallback = pin.Validate;
            var timedOut = false;
            using (new Timer(_ =>
            {
                timedOut = true;
                request.Abort();
            }, null, k_Timeout, Timeout.InfiniteTimeSpan))
            {
                try
                {
                    if (body != null)
                    {
                        request.ContentType = contentType;
                        request.ContentLength = body.Length;
                        using (var upload = await request.GetRequestStreamAsync().ConfigureAwait(false))
                            await upload.WriteAsync(body, 0, body.Length).ConfigureAwait(false);
                    }
                    using (var response = (HttpWebResponse)await request.GetResponseAsync().ConfigureAwait(false))
                        return Tuple.Create(await ReadAll(response).ConfigureAwait(false), response.Headers[HttpResponseHeader.ETag]);
                }
                catch (WebException e)
                {
                    if (pin.Refused)
                        throw pin.Refusal();
                    if (timedOut)
                        throw new OrfeasException("E_TIMEOUT", $"{method} {route} on {server.Url} did not finish within {k_Timeout.TotalMinutes} minutes; try again.");
                    // (no pattern variables here: mcs, which builds the tests, fails on them inside async methods)
                    var failed = e.Response as HttpWebResponse;
                    if (failed != null)
                    {
                        using (failed)
                            throw Refusal(server, failed, await ReadAll(failed).ConfigureAwait(false));
                    }
                    throw new OrfeasException("E_CONNECTION", $"The Orfeas server at {server.Url} does not answer: {e.GetBaseException().Message}. Check the URL, and that it runs.");
                }
                catch (IOException e)
                {
                    throw new OrfeasException("E_CONNECTION", $"The connection to {server.Url} was lost: {e.Message}. Try again.");
                }
            }
        }

        static string UploadId(TeamServer server, IDictionary<string, object> body)
        {
            if (body == null || !(body.TryGetValue("uploadId", out var id) && id is string uploadId))
                throw new OrfeasException("E_PROTOCOL", $"{server.Url} answered an upload without an upload id: is it an Orfeas daemon of this version?");
            return uploadId;
        }

        static OrfeasException Refusal(TeamServer server, HttpWebResponse response, byte[] body)
        {
            var error = Parse(body);
            if (error != null && error.TryGetValue("code", out var code) && code is string text && error.TryGetValue("message", out var message) && message is string sentence)
            {
                var details = error.TryGetValue("details", out var more) ? more as IDictionary<string, object> : null;
                return new OrfeasException(text, sentence, details != null && details.TryGetValue("field", out var field) ? field as string : null);
            }
            return new OrfeasException("E_CONNECTION", $"{server.Url} answered {(int)response.StatusCode} {response.StatusDescription}: is it an Orfeas daemon?");
        }

        static async Task<byte[]> ReadAll(HttpWebResponse response)
        {
            using (var stream = response.GetResponseStream())
            using (var bytes = new MemoryStream())
            {
                await stream.CopyToAsync(bytes).ConfigureAwait(false);
                return bytes.ToArray();
            }
        }

        static IDictionary<string, object> Parse(byte[] body)
        {
            try
            {
                return Json.Parse(new UTF8Encoding(false, true).GetString(body)) as IDictionary<string, object>;
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException)
            {
                return null;
            }
        }
    }
}
