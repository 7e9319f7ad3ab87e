package dev.refit.sim;

import dev.refit.admission.Admission;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.RefitApi;
import dev.refit.api.Selector;
import dev.refit.sim.Report.NodeReport;
import dev.refit.sim.Report.Violation;
import dev.refit.sim.Scenario.Fault;
import dev.refit.testing.ApiRequestLog;
import dev.refit.testing.invariants.Invariant;
import dev.refit.testing.invariants.MaxUnavailable;
import dev.refit.testing.invariants.NoDoubleDrain;
import dev.refit.testing.invariants.NoForeignUncordon;
import dev.refit.testing.invariants.NoNodeLeftCordoned;
import dev.refit.testing.invariants.PdbNeverViolated;
import dev.refit.testing.invariants.RebootOncePerTarget;
import dev.refit.testing.invariants.Settled;
import dev.refit.testing.invariants.SpecNeverWritten;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one scenario: the simulated fleet, the real operator as its own process, the policies, the
 * faults at their times; watches until the fleet is observed settled ({@link Settled}, with the
 * operator's word only as a cross-check, {@link Ending}), it cannot make progress ({@link Stall}),
 * or time runs out; and reports what the harness saw.
 */
final class Simulation {

  /** The start of the operator's User-Agent (the operator's ClientIdentity names its client so). */
  static final String OPERATOR_CLIENT = "refit-operator/";

  /** Where and how to run. */
  record Options(Path operatorApp, Path workDir, Progress progress, long seed) {
    Options(Path operatorApp, Path workDir, Progress progress) {
      this(operatorApp, workDir, progress, 42);
    }
  }

  private final Scenario scenario;
  private final Options options;
  private String stalled;
  private List<String> waitingFor = List.of();

  Simulation(Scenario scenario, Options options) {
    this.scenario = scenario;
    this.options = options;
  }

  Report run() throws IOException, InterruptedException {
    List<OSUpdatePolicy> policies = scenario.policyObjects();
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("the scenario has no policies: nothing to roll out");
    }
    try (SimulatedFleet fleet = new SimulatedFleet(scenario)) {
      Map<String, String> policyOf = new HashMap<>();
      Map<String, Integer> limits = new HashMap<>();
      claims(fleet, policies, policyOf, limits);
      Path log = options.workDir().resolve("operator.log");
      Files.deleteIfExists(log);
      NoForeignUncordon foreign = NoForeignUncordon.ofCordonsFoundAtFirstSight();
      try (Observer observer =
              new Observer(fleet.api, invariants(fleet, policies, foreign)).start();
          Operators operators =
              new Operators(
                  options.operatorApp(),
                  fleet.api.url(),
                  log,
                  scenario.operatorReplicas(),
                  fleet.api.client())) {
        fleet.startAgents();
        ApiFaultSpec apiFaults = scenario.operatorApiFaults();
        if (apiFaults != null) {
          fleet.api.faults().inject(apiFaults.mix(), OPERATOR_CLIENT, options.seed());
        }
        operators.start();
        observer.zero();
        double start = observer.now();
        ApiCounts requestsBefore = ApiCounts.of(fleet.api.requests());
        policies.forEach(p -> fleet.api.client().resource(p).create());
        Timeline timeline =
            new Timeline(
                events(),
                new Timeline.Targets(fleet, operators, foreign, Admission.ofShippedCrds()),
                options.progress()::note);
        boolean completed = false;
        long lastSample = 0;
        double settle = Stall.settleSeconds(scenario, policies);
        Stall stall = new Stall(settle);
        Settled settled = new Settled();
        Ending ending = new Ending(settle);
        while (observer.now() - start < scenario.timeoutSeconds()) {
          double elapsed = observer.now() - start;
          if (timeline.runDue(elapsed)) {
            stall.changed(elapsed);
          }
          for (int code : operators.restartExited()) {
            // as its Deployment would: an operator that exits (it does when it loses its
            // Lease) is started again
            options
                .progress()
                .note(
                    String.format(
                        "t=%.1fs an operator replica exited (code %d) and was started again",
                        observer.now() - start, code));
            stall.changed(elapsed);
          }
          if (System.nanoTime() - lastSample > 1_000_000_000L) {
            operators.sample();
            lastSample = System.nanoTime();
          }
          List<OSUpdatePolicy> now = currentPolicies(observer, policies);
          options.progress().render(elapsed, now, observer);
          Settled.Verdict verdict = observer.settled(settled);
          waitingFor = verdict.waitingFor();
          ending.crossCheck(elapsed, verdict, now);
          if (!timeline.pending() && ending.finished(elapsed, verdict, now)) {
            completed = true;
            break;
          }
          if (!timeline.pending()) {
            stalled =
                observer.read(nodes -> stall.judge(elapsed, now, seen(nodes), inFlight(nodes)));
            if (stalled != null) {
              break;
            }
          }
          Thread.sleep(200);
        }
        timeline.close();
        double duration = observer.now() - start;
        operators.sample();
        List<OSUpdatePolicy> end = currentPolicies(observer, policies);
        options.progress().render(duration, end, observer);
        options.progress().finish();
        List<Violation> violations = observer.finish();
        // targets and members as they stand at the end: policies may have been edited, nodes
        // added or relabelled during the run
        Map<String, String> policyAtEnd = new HashMap<>();
        claims(fleet, end, policyAtEnd, new HashMap<>());
        return new Report(
            completed,
            Observer.round(duration),
            Observer.round(ideal(policies, policyOf, labelsOf(fleet))),
            observer.maxDisrupted(),
            violations,
            nodeReports(fleet, observer, end, policyAtEnd),
            end.stream().map(EndReadings::policyReport).toList(),
            requests(fleet.api.requests(), requestsBefore, end),
            Report.Latency.of(observer.handoffsMillis()),
            new Report.OperatorFigures(
                operators.peakHeapBytes(), operators.peakRssBytes(), operators.starts()),
            evictions(fleet),
            EndReadings.unschedulable(fleet),
            apiFaults == null ? null : Report.ApiFaultCounts.of(fleet.api.faults().counts()),
            ending.discrepancies());
      }
    }
  }

  /** The scenario's events, with the older {@code restartOperator} faults among them. */
  private List<TimedEvent> events() {
    List<TimedEvent> events = new ArrayList<>(scenario.events());
    for (Fault fault : scenario.faults()) {
      if (Boolean.TRUE.equals(fault.restartOperator())) {
        double at = fault.atSeconds() == null ? 0 : fault.atSeconds();
        events.add(
            new TimedEvent(at, true, null, null, null, null, null, null, null, null, null, null));
      }
    }
    return events;
  }

  /**
   * Why the run ended before its timeout without finishing (the rollout could not make progress;
   * see {@link Stall}), or null.
   */
  String stalled() {
    return stalled;
  }

  /** What the fleet, as last observed, had not settled on: empty once it settled. */
  List<String> waitingFor() {
    return waitingFor;
  }

  /** What {@link Stall} compares of each node: its cordon, boot and OSNode state. */
  private static Map<String, String> seen(Map<String, Observer.Seen> nodes) {
    Map<String, String> seen = new LinkedHashMap<>();
    nodes.forEach((name, n) -> seen.put(name, n.refitCordoned + "/" + n.bootId + "/" + n.state));
    return seen;
  }

  private static List<String> inFlight(Map<String, Observer.Seen> nodes) {
    List<String> names = new ArrayList<>();
    nodes.forEach(
        (name, n) -> {
          if (n.state != null && n.state.occupiesSlot()) {
            names.add(name + " (" + n.state + ")");
          }
        });
    return names;
  }

  private static Report.Evictions evictions(SimulatedFleet fleet) {
    long allowed = 0;
    long blocked = 0;
    Map<String, Long> byBudget = new java.util.TreeMap<>();
    for (var decision : fleet.api.evictions()) {
      if (decision.allowed()) {
        allowed++;
      } else if (decision.blocked()) {
        blocked++;
        byBudget.merge(decision.namespace() + "/" + decision.budget(), 1L, Long::sum);
      }
    }
    return new Report.Evictions(allowed, blocked, byBudget);
  }

  /** The invariants the simulator judges (docs/reliability.md lists them). */
  static List<Invariant> invariants(
      SimulatedFleet fleet, List<OSUpdatePolicy> policies, NoForeignUncordon foreign) {
    return List.of(
        foreign,
        new MaxUnavailable(fleet.api.faults()::firstTriedOfHeldBack),
        PdbNeverViolated.unlessForced(fleet.api::pdbViolations, policies),
        new NoNodeLeftCordoned(),
        RebootOncePerTarget.afterDrains(),
        new NoDoubleDrain(fleet.api::evictions),
        new SpecNeverWritten(OPERATOR_CLIENT, () -> fleet.api.requests().calls()));
  }

  /** Which policy manages each node (only a node exactly one selects) and its limit. */
  static void claims(
      SimulatedFleet fleet,
      List<OSUpdatePolicy> policies,
      Map<String, String> policyOf,
      Map<String, Integer> limits) {
    Map<String, Integer> sizes = new HashMap<>();
    for (Node node : fleet.api.client().nodes().list().getItems()) {
      List<String> selecting = new ArrayList<>();
      for (OSUpdatePolicy policy : policies) {
        Selector selector = policy.getSpec().getNodeSelector();
        Map<String, String> labels = node.getMetadata().getLabels();
        if (selector.matches(labels)
            && (labels == null || !labels.containsKey(RefitApi.EXCLUDE_LABEL))) {
          selecting.add(policy.getMetadata().getName());
        }
      }
      if (selecting.size() == 1) {
        policyOf.put(node.getMetadata().getName(), selecting.get(0));
        sizes.merge(selecting.get(0), 1, Integer::sum);
      }
    }
    for (OSUpdatePolicy policy : policies) {
      int limit =
          MaxUnavailable.limit(
              policy.getSpec().getMaxUnavailable(),
              sizes.getOrDefault(policy.getMetadata().getName(), 0));
      policyOf.forEach(
          (node, p) -> {
            if (p.equals(policy.getMetadata().getName())) {
              limits.put(node, limit);
            }
          });
    }
  }

  /** The policies as the observer's watch last saw them (never by polling the API). */
  private static List<OSUpdatePolicy> currentPolicies(
      Observer observer, List<OSUpdatePolicy> policies) {
    List<OSUpdatePolicy> current = new ArrayList<>();
    for (OSUpdatePolicy policy : policies) {
      if (observer.deleted(policy.getMetadata().getName())) {
        continue;
      }
      OSUpdatePolicy now = observer.policy(policy.getMetadata().getName());
      current.add(now == null ? policy : now);
    }
    return current;
  }

  /**
   * The lower bound: staging once (all nodes at the same time), then for each policy as many waves
   * as maxUnavailable allows, each as long as one node's drain, reboot and return plus the policy's
   * soak; with canaries, their own waves and their soak first.
   */
  private double ideal(
      List<OSUpdatePolicy> policies,
      Map<String, String> policyOf,
      Map<String, Map<String, String>> labels) {
    double drain =
        scenario.workloads().stream()
            .mapToDouble(Scenario.WorkloadSpec::terminationSeconds)
            .max()
            .orElse(0);
    double perNode = drain + scenario.timing().rebootSeconds() + scenario.timing().readySeconds();
    double longest = 0;
    for (OSUpdatePolicy policy : policies) {
      String name = policy.getMetadata().getName();
      int size = (int) policyOf.values().stream().filter(name::equals).count();
      if (size == 0) {
        continue;
      }
      int limit = MaxUnavailable.limit(policy.getSpec().getMaxUnavailable(), size);
      var rollout = policy.getSpec().getRollout();
      double wave = perNode + rollout.getSoakSeconds();
      var canary = rollout.getCanary();
      int canaries =
          canary == null
              ? 0
              : canary.getCount() != null
                  ? Math.min(size, canary.getCount())
                  : (int)
                      policyOf.entrySet().stream()
                          .filter(e -> name.equals(e.getValue()))
                          .filter(e -> canary.getNodeSelector().matches(labels.get(e.getKey())))
                          .count();
      // the canaries go first, in their own waves, and the rest waits out their soak
      double canaryPhase =
          canaries == 0 ? 0 : ((canaries + limit - 1) / limit) * wave + canary.getSoakSeconds();
      int rest = size - canaries;
      longest = Math.max(longest, canaryPhase + ((rest + limit - 1) / limit) * wave);
    }
    return scenario.timing().stageSeconds() + longest;
  }

  private static Map<String, Map<String, String>> labelsOf(SimulatedFleet fleet) {
    Map<String, Map<String, String>> labels = new HashMap<>();
    fleet
        .api
        .client()
        .nodes()
        .list()
        .getItems()
        .forEach(n -> labels.put(n.getMetadata().getName(), n.getMetadata().getLabels()));
    return labels;
  }

  /** Whether the agent reports the revision the work order names (true without a work order). */
  private static boolean onDeclaredRevision(OSNode osNode) {
    return osNode == null
        || osNode.getSpec() == null
        || osNode.getSpec().getDesiredRevision() == null
        || osNode.getStatus() != null
            && osNode
                .getSpec()
                .getDesiredRevision()
                .equals(osNode.getStatus().getCurrentRevision());
  }

  private static List<NodeReport> nodeReports(
      SimulatedFleet fleet,
      Observer observer,
      List<OSUpdatePolicy> policies,
      Map<String, String> policyOf) {
    Map<String, String> why = EndReadings.notUpdated(fleet, policies);
    Map<String, String> targets = new LinkedHashMap<>();
    policies.forEach(p -> targets.put(p.getMetadata().getName(), p.getSpec().getOs().display()));
    Map<String, OSNode> osNodes = EndReadings.osNodes(fleet);
    return observer.read(
        nodes -> {
          List<NodeReport> reports = new ArrayList<>();
          nodes.forEach(
              (name, seen) -> {
                var host = fleet.hosts.get(name);
                String version = host == null ? null : host.booted().toString();
                String target = targets.get(policyOf.get(name));
                // on the target: its OS, and (by its agent's report) the revision its work order
                // names, which covers the SELinux state
                boolean updated =
                    target != null
                        && target.equals(version)
                        && onDeclaredRevision(osNodes.get(name));
                reports.add(
                    new NodeReport(
                        name,
                        updated,
                        version,
                        seen.refitCordoned,
                        seen.state == null ? null : seen.state.name(),
                        seen.boots,
                        List.copyOf(seen.transitions),
                        updated ? null : why.get(name)));
              });
          return reports;
        });
  }

  /** Requests served since the policies were applied (the fleet's setup is not counted). */
  private static Report.ApiRequests requests(
      ApiRequestLog log, ApiCounts before, List<OSUpdatePolicy> policies) {
    ApiCounts now = ApiCounts.of(log).minus(before);
    long operator =
        now.byUserAgent().entrySet().stream()
            // The operator names its client refit-operator/<version> (ClientIdentity).
            .filter(e -> e.getKey().startsWith(OPERATOR_CLIENT))
            .mapToLong(Map.Entry::getValue)
            .sum();
    int updated =
        policies.stream()
            .mapToInt(
                p ->
                    p.getStatus() == null || p.getStatus().getNodes() == null
                        ? 0
                        : p.getStatus().getNodes().getUpdated())
            .sum();
    return new Report.ApiRequests(
        now.total(),
        now.byVerb(),
        now.byResource(),
        operator,
        updated == 0 ? 0 : Math.round(operator * 10.0 / updated) / 10.0);
  }

  /** A snapshot of the request counters, to subtract. */
  record ApiCounts(
      long total,
      Map<String, Long> byVerb,
      Map<String, Long> byResource,
      Map<String, Long> byUserAgent) {
    static ApiCounts of(ApiRequestLog log) {
      return new ApiCounts(log.total(), log.byVerb(), log.byResource(), log.byUserAgent());
    }

    ApiCounts minus(ApiCounts earlier) {
      return new ApiCounts(
          total - earlier.total,
          diff(byVerb, earlier.byVerb),
          diff(byResource, earlier.byResource),
          diff(byUserAgent, earlier.byUserAgent));
    }

    private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
      Map<String, Long> result = new java.util.TreeMap<>();
      now.forEach(
          (k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
              result.put(k, d);
            }
          });
      return result;
    }
  }

  static Set<NodeState> inFlight() {
    Set<NodeState> states = new HashSet<>();
    for (NodeState state : NodeState.values()) {
      if (state.occupiesSlot()) {
        states.add(state);
      }
    }
    return states;
  }
}
