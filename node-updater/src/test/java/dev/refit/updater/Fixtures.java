package dev.refit.updater;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the recorded host outputs under {@code src/test/resources/host-outputs/}. */
public final class Fixtures {

  private Fixtures() {}

  /** The fixture's content, exactly as stored (no trimming: whitespace is part of the format). */
  public static String read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/host-outputs/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture host-outputs/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
