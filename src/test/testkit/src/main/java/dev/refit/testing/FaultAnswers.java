package dev.refit.testing;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** The answers a real API server gives for each kind of {@link ApiFaults} fault, word for word. */
final class FaultAnswers {

  private FaultAnswers() {}

  /** What identifies a request across a client's retries: method, path and a digest of the body. */
  static String key(RecordedRequest request) {
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(ByteBuffer.wrap(body));
      return request.getMethod()
          + " "
          + request.getPath()
          + " "
          + HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isWrite(String method) {
    return "PUT".equals(method) || "PATCH".equals(method) || "DELETE".equals(method);
  }

  static MockResponse answer(ApiFaults.Kind kind, ApiPath path, ApiFaults faults) {
    String resource = path.resource() + (path.name() == null ? "" : " \"" + path.name() + "\"");
    return switch (kind) {
      case SERVER_ERROR -> {
        int code = faults.pick(2) == 0 ? 500 : 503;
        yield status(code, code == 500 ? "InternalError" : "ServiceUnavailable", "injected fault");
      }
      case THROTTLED ->
          status(
                  429,
                  "TooManyRequests",
                  "the server has received too many requests and has asked us to try again later")
              .setHeader("Retry-After", "1");
      case TIMEOUT -> {
        MockResponse answer =
            status(
                504,
                "Timeout",
                "the server was unable to return a response in the time allotted, but may still"
                    + " be processing the request");
        // the server's timer refuses delays under a millisecond
        yield faults.timeoutDelayMillis() > 0
            ? answer.setBodyDelay(Duration.ofMillis(faults.timeoutDelayMillis()))
            : answer;
      }
      case CONFLICT ->
          status(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + resource
                  + ": the object has been modified; please apply your changes to the latest"
                  + " version and try again");
      case GONE -> status(410, "Expired", "too old resource version");
      case WATCH_CLOSED -> throw new IllegalArgumentException("a closed watch has no answer");
    };
  }

  /** 403, as a server answers a client whose role lacks the verb on the resource. */
  static MockResponse forbidden(HeldRequest request) {
    return status(
        403,
        "Forbidden",
        request.resource()
            + (request.name() == null ? "" : " \"" + request.name() + "\"")
            + " is forbidden: the client cannot "
            + request.method().toLowerCase(java.util.Locale.ROOT)
            + " it");
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\""
                + message.replace("\"", "\\\"")
                + "\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + "}");
  }
}
