package dev.refit.operator.act;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the API server refused, in words for a policy's status. */
public final class ApiRefusals {
  private ApiRefusals() {}

  /** Longest description kept: the server's own message can be long. */
  static final int MAX_LENGTH = 200;

  /**
   * "PATCH /api/v1/nodes/w-7: 429 the server has received too many requests…": the request when the
   * client names it, the HTTP code when there was an answer, and the server's message (or, when no
   * answer came, why).
   */
  public static String describe(KubernetesClientException e) {
    StringBuilder text = new StringBuilder();
    Matcher request = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      Matcher named = t.getMessage() == null ? null : REQUEST.matcher(t.getMessage());
      if (request == null && named != null && named.find()) {
        request = named;
      }
    }
    if (request != null) {
      text.append(request.group(1)).append(' ').append(request.group(2)).append(": ");
    }
    if (e.getCode() > 0) {
      text.append(e.getCode()).append(' ');
    }
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      text.append(e.getStatus().getMessage());
    } else {
      text.append(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }
    return text.length() <= MAX_LENGTH ? text.toString() : text.substring(0, MAX_LENGTH - 1) + "…";
  }

  /** How the client names a failed request: "Failure executing: PATCH at: https://host/path." */
  private static final Pattern REQUEST =
      Pattern.compile("Failure executing: ([A-Z]+) at: \\w+://[^/\\s]+(/\\S*?)\\.?(?:\\s|$)");
}
