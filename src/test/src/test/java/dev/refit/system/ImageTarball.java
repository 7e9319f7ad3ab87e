package dev.refit.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.MountableFile;

/**
 * An image tarball as {@code jib:buildTar} writes it ({@code target/jib-image.tar}), and the
 * reference it is tagged with, read from the tarball itself so the test never guesses the name the
 * build gave the image.
 *
 * @param file the tarball
 * @param reference the image reference, {@code repository:tag}
 */
record ImageTarball(Path file, String reference) {

  private static final int BLOCK = 512;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the reference out of the tarball: docker-load format or an OCI image layout. */
  static ImageTarball read(Path file) {
    try (FileChannel channel = FileChannel.open(file)) {
      JsonNode manifest = entry(channel, "manifest.json");
      if (manifest != null && manifest.path(0).path("RepoTags").path(0).isTextual()) {
        return new ImageTarball(file, manifest.path(0).path("RepoTags").path(0).asText());
      }
      JsonNode index = entry(channel, "index.json");
      JsonNode name =
          index == null
              ? null
              : index
                  .path("manifests")
                  .path(0)
                  .path("annotations")
                  .path("org.opencontainers.image.ref.name");
      if (name != null && name.isTextual() && name.asText().contains(":")) {
        return new ImageTarball(file, name.asText());
      }
      throw new IllegalStateException(
          file + " names no image: neither manifest.json RepoTags nor an OCI index ref.name");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The reference without its tag. */
  String repository() {
    return reference.substring(0, tagSeparator());
  }

  String tag() {
    return reference.substring(tagSeparator() + 1);
  }

  private int tagSeparator() {
    int colon = reference.lastIndexOf(':');
    if (colon < reference.lastIndexOf('/') + 1) {
      throw new IllegalStateException("the image " + reference + " has no tag");
    }
    return colon;
  }

  /**
   * Imports the image into the cluster's containerd (namespace k8s.io, where the kubelet looks),
   * and checks that the kubelet's image service finds it under its reference, as a pod will ask for
   * it.
   */
  void loadInto(K3sContainer k3s) throws IOException, InterruptedException {
    String inContainer = "/tmp/" + file.getParent().getParent().getFileName() + "-image.tar";
    k3s.copyFileToContainer(MountableFile.forHostPath(file), inContainer);
    run(k3s, "k3s", "ctr", "-n", "k8s.io", "images", "import", inContainer);
    run(k3s, "k3s", "crictl", "inspecti", reference);
  }

  private static void run(K3sContainer k3s, String... command)
      throws IOException, InterruptedException {
    ExecResult result = k3s.execInContainer(command);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + result.getExitCode()
              + ": "
              + result.getStdout()
              + result.getStderr());
    }
  }

  /** The JSON file of this name at the top of the tar archive, or null; layers are skipped. */
  private static JsonNode entry(FileChannel channel, String wanted) throws IOException {
    long position = 0;
    ByteBuffer header = ByteBuffer.allocate(BLOCK);
    while (position + BLOCK <= channel.size()) {
      header.clear();
      readFully(channel, header, position);
      byte[] h = header.array();
      if (h[0] == 0) {
        return null; // the end-of-archive blocks
      }
      String name = text(h, 0, 100);
      String prefix = "ustar".equals(text(h, 257, 5)) ? text(h, 345, 155) : "";
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size = size(h);
      if (name.startsWith("./")) {
        name = name.substring(2);
      }
      if (name.equals(wanted) && (h[156] == '0' || h[156] == 0)) {
        ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(size));
        readFully(channel, content, position + BLOCK);
        return JSON.readTree(content.array());
      }
      position += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    }
    return null;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("the tar archive ends inside an entry");
      }
    }
  }

  /** The entry size: octal text, or base-256 when the high bit of the field is set. */
  private static long size(byte[] h) {
    if ((h[124] & 0x80) != 0) {
      long size = 0;
      for (int i = 125; i < 136; i++) {
        size = (size << 8) | (h[i] & 0xff);
      }
      return size;
    }
    String octal = text(h, 124, 12).trim();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  private static String text(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }
}
