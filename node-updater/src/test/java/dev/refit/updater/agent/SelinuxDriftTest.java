package dev.refit.updater.agent;

import static dev.refit.updater.agent.Hosts.NEW;
import static dev.refit.updater.agent.Hosts.REVISION;
import static dev.refit.updater.agent.Hosts.host;
import static dev.refit.updater.agent.Hosts.version;
import static dev.refit.updater.agent.Hosts.withFamily;
import static dev.refit.updater.agent.Hosts.withSelinux;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refit.api.NodeAction;
import dev.refit.api.OSFamily;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.OSTarget;
import dev.refit.api.SELinuxBoolean;
import dev.refit.api.SELinuxMode;
import dev.refit.api.SELinuxModule;
import dev.refit.api.SELinuxPolicy;
import dev.refit.updater.selinux.HostSelinuxMode;
import dev.refit.updater.selinux.ModuleDigests;
import dev.refit.updater.selinux.SelinuxFacts;
import dev.refit.updater.selinux.SelinuxFacts.InstalledModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What differs, in words: one row per kind of difference, and the bound on the list. */
class SelinuxDriftTest {

  static final String CIL = "(allow container_t mnt_t (file (read)))";
  static final Optional<HostSelinuxMode> ENFORCING = Optional.of(HostSelinuxMode.ENFORCING);
  static final Optional<HostSelinuxMode> PERMISSIVE = Optional.of(HostSelinuxMode.PERMISSIVE);

  /** One row: the host's SELinux, and the sentences it must give against {@link #declared}. */
  record Row(String says, HostFacts facts, List<String> sentences) {
    @Override
    public String toString() {
      return says;
    }
  }

  /** Enforcing, httpd_can_network_connect on, nginx-custom at 400 from {@link #CIL}. */
  static Desired declared() {
    SELinuxPolicy policy = new SELinuxPolicy();
    policy.setMode(SELinuxMode.Enforcing);
    policy.setBooleans(List.of(new SELinuxBoolean("httpd_can_network_connect", true)));
    policy.setModules(List.of(SELinuxModule.inline("nginx-custom", CIL)));
    return new Desired(
        Optional.of(REVISION),
        OSTarget.version(NEW),
        policy,
        Map.of("nginx-custom", ModuleDigests.of(CIL)),
        NodeAction.None,
        null);
  }

  static InstalledModule nginx(int priority, String cil) {
    return new InstalledModule("nginx-custom", priority, ModuleDigests.of(cil));
  }

  static HostFacts facts(
      Optional<HostSelinuxMode> mode,
      Optional<HostSelinuxMode> atBoot,
      Map<String, Boolean> booleans,
      Map<String, InstalledModule> modules,
      List<InstalledModule> superseded) {
    return withSelinux(
        host("b1", version(NEW)),
        new SelinuxFacts(true, mode, atBoot, booleans, modules, superseded));
  }

  static HostFacts inForce() {
    return facts(
        ENFORCING,
        ENFORCING,
        Map.of("httpd_can_network_connect", true),
        Map.of("nginx-custom", nginx(400, CIL)),
        List.of());
  }

  static Stream<Row> table() {
    Map<String, Boolean> on = Map.of("httpd_can_network_connect", true);
    Map<String, InstalledModule> module = Map.of("nginx-custom", nginx(400, CIL));
    return Stream.of(
        new Row("nothing differs", inForce(), List.of()),
        new Row(
            "setenforce 0 by hand",
            facts(PERMISSIVE, ENFORCING, on, module, List.of()),
            List.of("running Permissive, declared Enforcing")),
        new Row(
            "the config file edited",
            facts(ENFORCING, PERMISSIVE, on, module, List.of()),
            List.of("configured to boot Permissive (/etc/selinux/config), declared Enforcing")),
        new Row(
            "a boolean flipped",
            facts(
                ENFORCING,
                ENFORCING,
                Map.of("httpd_can_network_connect", false),
                module,
                List.of()),
            List.of("httpd_can_network_connect is off, declared on")),
        new Row(
            "a boolean the policy does not define",
            facts(ENFORCING, ENFORCING, Map.of(), module, List.of()),
            List.of(
                "boolean httpd_can_network_connect is not defined by the host's policy, declared on")),
        new Row(
            "a module removed",
            facts(ENFORCING, ENFORCING, on, Map.of(), List.of()),
            List.of("module nginx-custom is not installed, declared at priority 400")),
        new Row(
            "a module at another priority",
            facts(ENFORCING, ENFORCING, on, Map.of("nginx-custom", nginx(500, CIL)), List.of()),
            List.of("module nginx-custom is installed at priority 500, declared at priority 400")),
        new Row(
            "a module with other content",
            facts(
                ENFORCING,
                ENFORCING,
                on,
                Map.of("nginx-custom", nginx(400, "(allow x y (file (read)))")),
                List.of()),
            List.of(
                "module nginx-custom is installed with other content (CIL digest "
                    + ModuleDigests.of("(allow x y (file (read)))")
                    + ", declared "
                    + ModuleDigests.of(CIL)
                    + ")")),
        new Row(
            "a module Refit installed that the policy no longer names",
            facts(
                ENFORCING,
                ENFORCING,
                on,
                Map.of(
                    "nginx-custom",
                    nginx(400, CIL),
                    "old-app",
                    new InstalledModule("old-app", 400, "abcd")),
                List.of()),
            List.of("module old-app is installed at priority 400, no longer declared")),
        new Row(
            "an older copy left by a priority change",
            facts(ENFORCING, ENFORCING, on, module, List.of(nginx(300, CIL))),
            List.of(
                "module nginx-custom has an older copy at priority 300 that would be in force"
                    + " again if the newer one went")),
        new Row(
            "SELinux disabled in this boot",
            withSelinux(
                host("b1", version(NEW)),
                new SelinuxFacts(
                    false, Optional.of(HostSelinuxMode.DISABLED), ENFORCING, Map.of(), Map.of())),
            List.of(
                "SELinux is disabled in this boot, declared Enforcing (only a reboot turns it on)")),
        new Row(
            "Bottlerocket's fixed policy",
            withFamily(
                withSelinux(host("b1", version(NEW)), SelinuxFacts.fixed(ENFORCING)),
                OSFamily.Bottlerocket),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void saysWhatDiffersInWords(Row row) {
    assertThat(SelinuxDrift.describe(declared(), row.facts())).isEqualTo(row.sentences());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void isEmptyExactlyWhenTheDeclaredStateIsInForce(Row row) {
    boolean inForce =
        TargetMatch.selinuxApplied(declared(), row.facts().selinux())
            && !TargetMatch.modeNeedsBoot(declared(), row.facts());

    assertThat(SelinuxDrift.describe(declared(), row.facts()).isEmpty()).isEqualTo(inForce);
  }

  @Test
  void aSpecWithoutSelinuxHasNoDrift() {
    Desired none =
        new Desired(
            Optional.of(REVISION), OSTarget.version(NEW), null, Map.of(), NodeAction.None, null);

    assertThat(
            SelinuxDrift.describe(
                none, facts(PERMISSIVE, PERMISSIVE, Map.of(), Map.of(), List.of())))
        .isEmpty();
  }

  @Test
  void aLongListIsCutAtSixteenEntriesTheLastCountingTheRest() {
    SELinuxPolicy policy = new SELinuxPolicy();
    List<SELinuxBoolean> booleans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      booleans.add(new SELinuxBoolean("b" + i, true));
    }
    policy.setBooleans(booleans);
    Desired many =
        new Desired(
            Optional.of(REVISION), OSTarget.version(NEW), policy, Map.of(), NodeAction.None, null);

    List<String> drift =
        SelinuxDrift.describe(many, facts(ENFORCING, ENFORCING, Map.of(), Map.of(), List.of()));

    assertThat(drift).hasSize(SelinuxDrift.MAX_ENTRIES);
    assertThat(drift.get(14)).startsWith("boolean b14 ");
    assertThat(drift.get(15)).isEqualTo("and 5 more differences");
  }

  @Test
  void theStatusCarriesTheDriftAndOffersTheTargetForALiveReapplyWithoutAReboot() {
    HostFacts flipped =
        facts(
            ENFORCING,
            ENFORCING,
            Map.of("httpd_can_network_connect", false),
            Map.of("nginx-custom", nginx(400, CIL)),
            List.of());

    OSNodeStatus drifted =
        StatusComposer.compose(declared(), ActionRecord.NONE, flipped, null, 1L, Instant.EPOCH);
    OSNodeStatus clean =
        StatusComposer.compose(declared(), ActionRecord.NONE, inForce(), null, 1L, Instant.EPOCH);

    assertThat(drifted.getSelinuxDrift())
        .containsExactly("httpd_can_network_connect is off, declared on");
    assertThat(drifted.getCurrentRevision()).isNotEqualTo(REVISION);
    assertThat(drifted.getStagedRevision()).isEqualTo(REVISION);
    assertThat(drifted.getRebootPending()).isFalse();
    assertThat(clean.getSelinuxDrift()).isNull();
    assertThat(clean.getCurrentRevision()).isEqualTo(REVISION);
  }
}
