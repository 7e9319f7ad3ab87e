package dev.refit.updater.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A directory of the host's own that the agent keeps small files in: {@code /run/refit} (emptied by
 * every boot: the reboot request) and {@code /var/lib/refit} (kept: SELinux module sources and the
 * list of modules Refit installed). The DaemonSet mounts them from the host; {@link #hostPath}
 * names a file as host commands (semodule) see it.
 */
public interface HostState {

  /** The file's content, if it exists. */
  Optional<String> read(String name);

  /** Writes the file atomically (a reader sees the old or the new content, never half). */
  void write(String name, String content);

  /** Deletes the file if it exists. */
  void delete(String name);

  /** The file's path as a command run on the host sees it. */
  String hostPath(String name);

  /**
   * Files in a directory mounted into the pod at {@code podDir}, found at {@code hostDir}. A name
   * that resolves outside the directory ({@code ../x}, an absolute path) is refused.
   */
  static HostState directory(Path podDir, String hostDir) {
    Path root = podDir.toAbsolutePath().normalize();
    return new HostState() {
      private Path inside(String name) {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
          throw new IllegalArgumentException(name + " is not a file inside " + hostDir);
        }
        return path;
      }

      @Override
      public Optional<String> read(String name) {
        try {
          return Optional.of(Files.readString(inside(name), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void write(String name, String content) {
        Path target = inside(name);
        try {
          Files.createDirectories(target.getParent());
          Path temp = target.resolveSibling(target.getFileName() + ".tmp");
          Files.writeString(temp, content, StandardCharsets.UTF_8);
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void delete(String name) {
        try {
          Files.deleteIfExists(inside(name));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public String hostPath(String name) {
        return hostDir + "/" + name;
      }
    };
  }

  /** Files in memory, for tests. */
  static HostState inMemory(String hostDir) {
    Map<String, String> files = new ConcurrentHashMap<>();
    return new HostState() {
      @Override
      public Optional<String> read(String name) {
        return Optional.ofNullable(files.get(name));
      }

      @Override
      public void write(String name, String content) {
        files.put(name, content);
      }

      @Override
      public void delete(String name) {
        files.remove(name);
      }

      @Override
      public String hostPath(String name) {
        return hostDir + "/" + name;
      }
    };
  }
}
