package dev.refit.updater.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a command reaches the host: the argv prefix put in front of every command.
 *
 * <p>The agent runs in a privileged pod with {@code hostPID: true}, so PID 1 is the host's init and
 * {@code nsenter --target 1} joins the host's namespaces; the host tools then see the host's {@code
 * /}, D-Bus socket and network, exactly as if run from an SSH session. The chroot mode is the
 * fallback for clusters that mount the host root into the pod (at {@code /host}) instead of sharing
 * the PID namespace; it sees the host's files but not its D-Bus, so rpm-ostree and
 * update_engine_client only work through nsenter.
 *
 * @param name a short label for logs ("nsenter", "chroot", "direct", or "custom")
 * @param prefix the argv put in front of each command; empty runs the command as given
 */
public record HostExecution(String name, List<String> prefix) {

  /** The default prefix: every namespace of the host's PID 1, then the command. */
  public static final List<String> NSENTER_PREFIX =
      List.of("nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--");

  /** Validates and copies the fields. */
  public HostExecution {
    Objects.requireNonNull(name, "name");
    prefix = List.copyOf(prefix);
  }

  /** Enter the host's namespaces through PID 1 (needs {@code hostPID} and privileges). */
  public static HostExecution nsenter() {
    return new HostExecution("nsenter", NSENTER_PREFIX);
  }

  /** Run inside {@code chroot <hostRoot>}, for pods that mount the host root at a path. */
  public static HostExecution chroot(Path hostRoot) {
    return new HostExecution("chroot", List.of("chroot", hostRoot.toString()));
  }

  /** Run the command as given, in the agent's own namespaces (tests, or an agent on the host). */
  public static HostExecution direct() {
    return new HostExecution("direct", List.of());
  }

  /** Any other prefix, e.g. a different nsenter target or {@code sudo}. */
  public static HostExecution custom(List<String> prefix) {
    return new HostExecution("custom", prefix);
  }

  /** The full argv to start: prefix, then the command. */
  public List<String> wrap(List<String> argv) {
    List<String> full = new ArrayList<>(prefix.size() + argv.size());
    full.addAll(prefix);
    full.addAll(argv);
    return List.copyOf(full);
  }
}
