package dev.refit.api;

/**
 * Regular expressions shared by the schema ({@code pattern}) and by CEL rules ({@code matches}).
 *
 * <p>They are written in the common subset of RE2 (what the Kubernetes API server uses) and
 * java.util.regex, so the offline tests judge them the way the API server does. Inside CEL they are
 * embedded as raw strings ({@code r'...'}), so backslashes need no second escaping.
 */
public final class Patterns {
  private Patterns() {}

  /** A DNS-1123 label, the shape of most Kubernetes names. */
  public static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

  /** A DNS-1123 subdomain (names of nodes, ConfigMaps, prefixes of label keys). */
  public static final String DNS_SUBDOMAIN = DNS_LABEL + "(\\." + DNS_LABEL + ")*";

  /** The name part of a qualified name: label keys, annotation keys. */
  public static final String QUALIFIED_NAME_PART = "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";

  /** A label or annotation key: optional DNS-subdomain prefix and a slash, then a name. */
  public static final String QUALIFIED_NAME =
      "^(" + DNS_SUBDOMAIN + "/)?" + QUALIFIED_NAME_PART + "$";

  /** A label or annotation key whose name part (after the prefix's slash) has 1–63 characters. */
  public static final String KEY_NAME_LENGTH = "^([^/]*/)?[^/]{1,63}$";

  /** A label or annotation key whose name part has the characters a name part may have. */
  public static final String KEY_NAME = "^([^/]*/)?" + QUALIFIED_NAME_PART + "$";

  /** A label or annotation key without a prefix, or with one of 1–253 characters. */
  public static final String KEY_PREFIX_LENGTH = "^([^/]{1,253}/)?[^/]*$";

  /** A label or annotation key without a prefix, or with a DNS-subdomain prefix. */
  public static final String KEY_PREFIX = "^(" + DNS_SUBDOMAIN + "/)?[^/]*$";

  /** A label value: empty, or up to 63 alphanumerics with dashes, dots and underscores inside. */
  public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

  private static final String HOST_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?";

  /**
   * A registry host as container runtimes tell it from a repository path: it has a dot or a port,
   * or is localhost. Without one, {@code fedora/fedora-coreos} would name docker.io implicitly.
   */
  private static final String REGISTRY_HOST =
      "("
          + HOST_LABEL
          + "(\\."
          + HOST_LABEL
          + ")+(:[0-9]{1,5})?|"
          + HOST_LABEL
          + ":[0-9]{1,5}|localhost)";

  /** An image reference whose first path component is a registry host (checked on its own). */
  public static final String IMAGE_WITH_REGISTRY = "^" + REGISTRY_HOST + "/";

  private static final String PATH_COMPONENT = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
  private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
  private static final String DIGEST = "sha256:[a-f0-9]{64}";

  /**
   * A fully qualified container image reference: registry host, repository path, and a tag, a
   * digest, or both ({@code quay.io/fedora/fedora-coreos:stable}, {@code
   * registry.example.com/os/node@sha256:...}).
   */
  public static final String IMAGE =
      "^"
          + REGISTRY_HOST
          + "(/"
          + PATH_COMPONENT
          + ")+(:"
          + TAG
          + "(@"
          + DIGEST
          + ")?|@"
          + DIGEST
          + ")$";

  /** An OS version string as the OS tools print it (41.20250101.3.0, 1.19.2, 3510.3.5). */
  public static final String OS_VERSION = "^[A-Za-z0-9][A-Za-z0-9._+~-]*$";

  /** An SELinux boolean name (virt_use_nfs, container_manage_cgroup). */
  public static final String SELINUX_BOOLEAN = "^[a-z][a-z0-9_]*$";

  /**
   * An SELinux policy module name as libsemanage accepts it ({@code
   * semanage_module_validate_name}): a letter, then letters, digits, {@code _} and {@code -}, each
   * of which may follow one dot; so {@code nginx-custom} and {@code my.app} are names, {@code
   * my..app}, {@code app.} and {@code -app} are not. No name can hold a slash or start with a dot
   * or a hyphen, so none can leave the directory it is written to or read as a command-line option.
   */
  public static final String SELINUX_MODULE = "^[A-Za-z](\\.?[A-Za-z0-9_-])*$";

  /** A wall-clock time of day, 24-hour HH:MM. */
  public static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

  /** A duration in hours and minutes, like 90m, 2h or 1h30m. */
  public static final String HOURS_MINUTES = "^([0-9]{1,3}h)?([0-9]{1,5}m)?$";

  /** An IANA time zone name's characters (its existence is checked by the operator). */
  public static final String TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+/-]*$";

  private static final String YEAR = "([1-8][0-9]{3}|9[0-8][0-9]{2})";
  private static final String LEAP_YEAR =
      "(([1-8][0-9]|9[0-8])(0[48]|[2468][048]|[13579][26])|([13579][26]|[2468][048])00)";
  private static final String MONTH_DAY =
      "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)";

  /**
   * An RFC 3339 timestamp with a zone offset that names a real moment: months 01–12, days that
   * exist in their month (February 29 only in leap years), hours 00–23, minutes and seconds 00–59,
   * at most nine fractional digits, offsets within ±18:00, years 1000–9899 (so CEL's {@code
   * timestamp()}, whose range ends at the years 1 and 9999, can parse every string this admits).
   */
  public static final String TIMESTAMP =
      "^("
          + YEAR
          + "-"
          + MONTH_DAY
          + "|"
          + LEAP_YEAR
          + "-02-29)T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?"
          + "(Z|[+-](0[0-9]|1[0-7]):[0-5][0-9]|[+-]18:00)$";

  /** Positive integer or a percentage from 1% to 100%, for int-or-string counts. */
  public static final String PERCENT = "^([1-9][0-9]?|100)%$";

  /**
   * The CEL rule of an int-or-string count: an integer from 1 to 2147483647 (an int-or-string holds
   * 32 bits; a larger number could be stored but never read back), or a {@link #PERCENT}.
   */
  public static final String COUNT_OR_PERCENT_RULE =
      "type(self) == int ? self >= 1 && self <= 2147483647 : self.matches(r'" + PERCENT + "')";

  /** An int-or-string count that may be zero: 0 to 2147483647, or 0% to 100%. */
  public static final String ZERO_COUNT_OR_PERCENT_RULE =
      "type(self) == int ? self >= 0 && self <= 2147483647 :"
          + " self.matches(r'^([0-9]|[1-9][0-9]|100)%$')";

  /** How the message of {@link #ZERO_COUNT_OR_PERCENT_RULE} goes on after the field's name. */
  public static final String ZERO_COUNT_OR_PERCENT =
      " must be an integer of at least 0 (at most 2147483647) or a percentage from 0% to 100%,"
          + " like 2 or \"40%\"";

  /** How the message of {@link #COUNT_OR_PERCENT_RULE} goes on after the field's name. */
  public static final String COUNT_OR_PERCENT =
      " must be an integer of at least 1 (at most 2147483647) or a percentage from 1% to 100%,"
          + " like 2 or \"10%\"";
}
