package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's process as the simulator runs it. */
class OperatorProcessTest {

  /** An application that starts and never reports healthy. */
  public static final class Silent {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void aStartGivenUpOnLeavesNoProcessBehind(@TempDir Path dir) throws Exception {
    Path classes =
        Path.of(Silent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Silent.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
    Path jar = dir.resolve("silent.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // the manifest is the whole jar
    }
    OperatorProcess operator =
        new OperatorProcess(
            jar, "http://127.0.0.1:1", dir.resolve("operator.log"), "r", Duration.ofSeconds(2));

    assertThatThrownBy(operator::start)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not become ready within 2 s");
    assertThat(operator.alive()).as("the JVM of the start given up on").isFalse();
  }
}
