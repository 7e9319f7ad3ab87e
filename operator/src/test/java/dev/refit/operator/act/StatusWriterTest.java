package dev.refit.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.OSUpdatePolicyStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

  @Test
  void fieldsTheNewStatusLacksAreRemovedWithExplicitNulls() {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setTarget("1.19.2");
    assertThat(StatusWriter.mergePatch(status))
        .contains("\"nextWindow\":null")
        .contains("\"target\":\"1.19.2\"");
  }

  @Test
  void everyStatusFieldIsCoveredSoNoneCanLinger() {
    String patch = StatusWriter.mergePatch(new OSUpdatePolicyStatus());
    Arrays.stream(OSUpdatePolicyStatus.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()))
        .map(Field::getName)
        .forEach(name -> assertThat(patch).as(name).contains("\"" + name + "\":"));
  }

  @Test
  void aCanarySoakEndIsRemovedOnceThePhaseHasNone() {
    OSUpdatePolicyStatus status = new OSUpdatePolicyStatus();
    status.setCanary(new dev.refit.api.CanaryStatus());
    status.getCanary().setPhase(dev.refit.api.CanaryStatus.UPDATING);
    assertThat(StatusWriter.mergePatch(status))
        .contains("\"soakEndsAt\":null")
        .contains("\"phase\":\"Updating\"");
    assertThat(dev.refit.api.CanaryStatus.FIELDS)
        .as("every field of CanaryStatus is listed")
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(dev.refit.api.CanaryStatus.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .toList());
  }
}
