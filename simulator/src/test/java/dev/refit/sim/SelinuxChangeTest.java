package dev.refit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refit.updater.backend.fake.FakeSelinux;
import dev.refit.updater.selinux.HostSelinuxMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scenario's {@code selinux} event: hand-made SELinux changes on named hosts. */
class SelinuxChangeTest {

  private static Scenario read(String events) throws IOException {
    String yaml = "nodes: [{count: 2, prefix: w-}]\nevents:\n" + events;
    return Scenario.read(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "drift.yaml");
  }

  @Test
  void eachKindOfChangeReadsAndSaysWhatThePersonRan() throws IOException {
    Scenario scenario =
        read(
            """
              - {atSeconds: 30, selinux: {nodes: [w-1, w-2], boolean: httpd_can_network_connect=off}}
              - {atSeconds: 31, selinux: {nodes: [w-1], setenforce: Permissive}}
              - {atSeconds: 32, selinux: {nodes: [w-2], removeModule: nginx-custom}}
            """);

    assertThat(scenario.events())
        .extracting(TimedEvent::describe)
        .containsExactly(
            "a person ran setsebool -P httpd_can_network_connect=off on w-1, w-2",
            "a person ran setenforce Permissive on w-1",
            "a person ran semodule -r nginx-custom (every priority) on w-2");
  }

  static Stream<List<String>> mistakes() {
    return Stream.of(
        List.of(
            "{atSeconds: 1, selinux: {boolean: a=on}}",
            "events[0]: selinux needs nodes: the hosts the change is made on"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1]}}",
            "events[0]: selinux makes exactly one change (boolean, setenforce or removeModule),"
                + " found none"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1], boolean: a=on, setenforce: Permissive}}",
            "events[0]: selinux makes exactly one change (boolean, setenforce or removeModule),"
                + " found boolean, setenforce"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1], boolean: httpd_can_network_connect}}",
            "events[0]: selinux.boolean must be name=on or name=off, like"
                + " httpd_can_network_connect=off"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1], setenforce: \"0\"}}",
            "events[0]: selinux.setenforce must be Enforcing or Permissive"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1], removeModule: ../etc}}",
            "events[0]: selinux.removeModule must be a module name as semodule lists it, like"
                + " nginx-custom"),
        List.of(
            "{atSeconds: 1, selinux: {nodes: [w-1], boolean: a=on}, cordon: w-2}",
            "events[0]: an event does exactly one thing, found cordon, selinux"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void aMistakeIsRejectedWhenTheScenarioIsRead(List<String> mistake) {
    assertThatThrownBy(() -> read("  - " + mistake.get(0) + "\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("drift.yaml: " + mistake.get(1));
  }

  @Test
  void aMistypedFieldOfTheChangeIsNamed() {
    assertThatThrownBy(() -> read("  - {atSeconds: 1, selinux: {nodes: [w-1], bool: a=on}}\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("unknown field \"bool\"")
        .hasMessageContaining("removeModule");
  }

  @Test
  void aNodeGroupsSelinuxModeIsChecked() {
    assertThatThrownBy(
            () ->
                Scenario.read(
                    new ByteArrayInputStream(
                        "nodes: [{count: 1, prefix: w-, selinux: {mode: enforcing}}]\n"
                            .getBytes(StandardCharsets.UTF_8)),
                    "drift.yaml"))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("drift.yaml: nodes[0]: selinux.mode must be Enforcing, Permissive or Disabled");
  }

  @Test
  void theChangesAreMadeOnTheHostsSelinuxAsAPersonsCommandsWould() {
    FakeSelinux host = new FakeSelinux();
    host.installModuleByHand("nginx-custom", 400, "(allow a b (file (read)))");
    host.setBooleanByHand("httpd_can_network_connect", true, true);

    new SelinuxChange(List.of("w-1"), "httpd_can_network_connect=off", null, null).applyTo(host);
    new SelinuxChange(List.of("w-1"), null, "Permissive", null).applyTo(host);
    new SelinuxChange(List.of("w-1"), null, null, "nginx-custom").applyTo(host);

    assertThat(host.booleanAtBoot("httpd_can_network_connect")).contains(false);
    assertThat(host.mode()).isEqualTo(HostSelinuxMode.PERMISSIVE);
    assertThat(host.configuredMode()).isEqualTo(HostSelinuxMode.ENFORCING);
    assertThat(host.priorities("nginx-custom")).isEmpty();
  }

  @Test
  void aChangeTheToolRefusesSaysWhy() {
    FakeSelinux disabled = new FakeSelinux().withMode(HostSelinuxMode.DISABLED);

    assertThat(new SelinuxChange(List.of("w-1"), null, "Enforcing", null).applyTo(disabled))
        .contains("setenforce: SELinux is disabled");
    assertThat(new SelinuxChange(List.of("w-1"), null, null, "nginx-custom").applyTo(disabled))
        .isPresent();
  }
}
