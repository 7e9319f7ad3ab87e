package dev.refit.updater.host;

/**
 * A host tool printed something its parser cannot read with certainty: empty, truncated, malformed
 * or unexpected output.
 *
 * <p>The message always names the command, says what was expected and quotes a short excerpt of
 * what was seen, so it can go straight into {@code OSNode.status.lastError} and still make sense to
 * someone reading {@code kubectl describe}. Parsers throw this instead of guessing, and instead of
 * letting a raw Jackson or NumberFormat exception escape.
 */
public class HostOutputException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Longest excerpt quoted in a message; long enough to recognise, short enough for status. */
  static final int EXCERPT_LIMIT = 160;

  private final String command;
  private final String expected;
  private final String excerpt;

  /**
   * Creates the exception.
   *
   * @param command the command as a person would type it, e.g. {@code rpm-ostree status --json}
   * @param expected what the parser needed, e.g. {@code a JSON object with a "deployments" array}
   * @param seen the offending output or the part of it that broke the parse (quoted shortened)
   */
  public HostOutputException(String command, String expected, String seen) {
    this(command, expected, seen, null);
  }

  /** Creates the exception, keeping the low-level cause for logs. */
  public HostOutputException(String command, String expected, String seen, Throwable cause) {
    super(command + ": expected " + expected + ", got " + excerpt(seen), cause);
    this.command = command;
    this.expected = expected;
    this.excerpt = excerpt(seen);
  }

  /** The command whose output was rejected. */
  public String command() {
    return command;
  }

  /** What the parser expected to find. */
  public String expected() {
    return expected;
  }

  /** The quoted, shortened excerpt of what the command printed. */
  public String excerpt() {
    return excerpt;
  }

  /**
   * Quotes output for a message: newlines and tabs made visible, cut at {@value #EXCERPT_LIMIT}
   * characters, and an explicit marker for empty output (an empty pair of quotes is easy to miss).
   */
  public static String excerpt(String text) {
    if (text == null || text.isBlank()) {
      return "(empty output)";
    }
    String flat =
        text.strip()
            .replace("\\", "\\\\")
            .replace("\r", "\\r")
            .replace("\n", "\\n")
            .replace("\t", "\\t");
    if (flat.length() > EXCERPT_LIMIT) {
      return "\"" + flat.substring(0, EXCERPT_LIMIT) + "\"... (" + text.length() + " chars)";
    }
    return "\"" + flat + "\"";
  }
}
