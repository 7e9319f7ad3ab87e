package dev.refit.operator.reconcile;

import dev.refit.api.Drain;
import dev.refit.api.NodeState;
import dev.refit.api.OSNode;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.api.OSUpdatePolicyStatus;
import dev.refit.api.OnTimeout;
import dev.refit.operator.act.ApiRefusals;
import dev.refit.operator.act.Cordons;
import dev.refit.operator.act.DrainManager;
import dev.refit.operator.act.EventRecorder;
import dev.refit.operator.act.NodeDriver;
import dev.refit.operator.act.OSNodes;
import dev.refit.operator.act.PodBudgets;
import dev.refit.operator.act.PolicyMetrics;
import dev.refit.operator.act.PolicyTeardown;
import dev.refit.operator.act.RolloutMetrics;
import dev.refit.operator.act.StatusWriter;
import dev.refit.operator.config.OperatorSettings;
import dev.refit.operator.plan.Blocker;
import dev.refit.operator.plan.NextWake;
import dev.refit.operator.plan.Round;
import dev.refit.operator.plan.RoundSettings;
import dev.refit.operator.status.ConditionChanges;
import dev.refit.operator.status.PolicyNotices;
import dev.refit.operator.status.PolicyStatusComposer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles each OSUpdatePolicy in four named steps: observe (one {@link Observation} from the
 * informer caches), decide (a pure rollout round), act (the {@link NodeDriver} makes it true), and
 * report (status, Events and metrics, status written only when it changed). Woken by the policy,
 * any Node change that matters, its OSNodes, other policies, the ConfigMaps its SELinux modules
 * name, and its drains; a timer only where something must happen at a time (a phase timeout, a
 * window, a soak). A deleted policy is let go through its finalizer only once {@link
 * PolicyDeletion} has handed its nodes back.
 */
@ControllerConfiguration(name = PolicyReconciler.NAME, finalizerName = PolicyReconciler.FINALIZER)
public class PolicyReconciler
    implements Reconciler<OSUpdatePolicy>, Cleaner<OSUpdatePolicy>, AutoCloseable {

  public static final String NAME = "osupdatepolicy";

  /**
   * The finalizer that keeps a deleted policy until Refit has lifted its cordons and deleted its
   * OSNodes (docs/design.md, "Deleting a policy").
   */
  public static final String FINALIZER = "refit.dev/release-nodes";

  static final String WAKEUPS = "wakeups";

  /**
   * How long a planned round may take to reach the writes that take a node out of service before
   * the server's Nodes are read again (writes held back by the API, a slow server).
   */
  static final Duration STILL_FRESH = Duration.ofMillis(500);

  /** How many times one reconcile plans again when the fleet changed before its starts. */
  static final int PLANS_PER_RECONCILE = 3;

  /**
   * How long a round whose starts wait for an answer the API server did not give waits before it
   * asks again, after one such round; doubled for each further one, up to {@link #UNANSWERED_MAX}.
   */
  static final Duration UNANSWERED_FIRST = Duration.ofSeconds(1);

  static final Duration UNANSWERED_MAX = Duration.ofSeconds(16);

  private static final Logger LOG = Logger.getLogger(PolicyReconciler.class);

  private final Clock clock;
  private final OperatorSettings settings;
  private final PolicyMetrics policyMetrics;
  private final RolloutMetrics rolloutMetrics;
  private final StatusWriter statusWriter = new StatusWriter();

  /**
   * The status of each policy's last round whose writes all landed (by UID): the policy's Events
   * are its transitions, so a round the API refused, whose status may run ahead of the cluster,
   * raises none, and the next round that lands raises them against what last held.
   */
  private final Map<String, OSUpdatePolicyStatus> lastLanded = new ConcurrentHashMap<>();

  /**
   * The status of each policy's last round (by UID), landed or not: the log has a line for each
   * condition whose status or reason changed since, which says why a rollout waits.
   */
  private final Map<String, OSUpdatePolicyStatus> lastLogged = new ConcurrentHashMap<>();

  /** How many rounds in a row held their starts for an unanswered read, by policy UID. */
  private final Map<String, Integer> unansweredRounds = new ConcurrentHashMap<>();

  private final PolicyCaches caches;
  private final SimpleInboundEventSource<OSUpdatePolicy> wakeups =
      new SimpleInboundEventSource<>(WAKEUPS);
  private DrainManager drains;
  private EventRecorder events;
  private NodeDriver driver;
  private PolicyDeletion deletion;
  private PrometheusQueries queries;

  @Inject
  public PolicyReconciler(Clock clock, MeterRegistry registry, OperatorSettings settings) {
    this.clock = clock;
    this.settings = settings;
    this.policyMetrics = new PolicyMetrics(registry);
    this.rolloutMetrics = new RolloutMetrics(registry);
    this.caches = new PolicyCaches(settings.moduleNamespaces());
  }

  @Override
  public List<EventSource<?, OSUpdatePolicy>> prepareEventSources(
      EventSourceContext<OSUpdatePolicy> context) {
    var client = context.getClient();
    drains =
        new DrainManager(
            client,
            clock,
            settings.drainRetryInterval(),
            settings.parallelEvictions(),
            policy -> wakeups.propagateEvent(new ResourceID(policy)));
    events = new EventRecorder(client, settings.eventsNamespace(), clock);
    queries =
        new PrometheusQueries(
            clock,
            settings.healthQueryInterval(),
            policy -> wakeups.propagateEvent(new ResourceID(policy.getMetadata().getName())));
    OSNodes osNodes = new OSNodes(client);
    Cordons cordons = new Cordons(client);
    driver = new NodeDriver(osNodes, cordons, drains, events, rolloutMetrics);
    deletion =
        new PolicyDeletion(
            clock,
            settings,
            caches,
            drains,
            new PolicyTeardown(osNodes, cordons, drains, events),
            events,
            statusWriter,
            rolloutMetrics);
    List<EventSource<?, OSUpdatePolicy>> sources = new ArrayList<>(caches.eventSources(context));
    sources.add(wakeups);
    return sources;
  }

  @Override
  public UpdateControl<OSUpdatePolicy> reconcile(
      OSUpdatePolicy policy, Context<OSUpdatePolicy> context) {
    policyMetrics.reconciled(policy.getMetadata().getName());
    KubernetesClient client = context.getClient();
    OSUpdatePolicy current = policy;
    for (int attempt = 1; attempt <= PLANS_PER_RECONCILE; attempt++) {
      Observation seen = caches.observe(current, clock.instant(), drains);
      Decided decided = decide(seen, null);
      // what the server said is fresh from before it is asked: a slow list must not age it unseen
      long planned = System.nanoTime();
      if (startsDisruption(decided.round())) {
        // a disruption starts only from what the API server says now: the policy's spec (a
        // person may just have lowered maxUnavailable or paused) and the Nodes
        try {
          OSUpdatePolicy onServer = PolicyCaches.onServer(current, client);
          if (onServer == null || onServer.getMetadata().getDeletionTimestamp() != null) {
            // gone or being deleted: nothing starts; the deletion's own steps come next
            return UpdateControl.<OSUpdatePolicy>noUpdate().rescheduleAfter(STILL_FRESH);
          }
          boolean specNewer = PolicyCaches.generation(onServer) > PolicyCaches.generation(current);
          boolean nodesDiffer = caches.confirmNodes(seen, client);
          if (specNewer || nodesDiffer) {
            // the caches were behind the API server: plan again from what the server says
            current = specNewer ? onServer : current;
            seen = caches.observe(current, clock.instant(), drains);
            decided = decide(seen, null);
          }
        } catch (KubernetesClientException e) {
          // unconfirmed, nothing starts; the round's other steps go on, and it asks again soon
          decided =
              decide(
                  seen,
                  "the API server did not confirm the view the next start was planned from: "
                      + ApiRefusals.describe(e));
        }
      }
      Round.Result round = decided.round();
      Observation plannedFrom = seen;
      Set<String> starts =
          round.nodes().stream()
              .filter(NodeDriver::takesOutOfService)
              .map(Round.NodeResult::name)
              .collect(Collectors.toSet());
      // the server's answers, or the round's first writes, took long enough for the fleet or the
      // spec to change: ask the server again, and plan again if a node went out of service or a
      // person changed the spec meanwhile
      Map<String, Blocker> blockers;
      try {
        blockers =
            act(
                seen,
                round,
                new StartsStillHold(
                    planned,
                    STILL_FRESH,
                    () -> stillAsPlanned(plannedFrom, client, starts),
                    System::nanoTime));
      } catch (KubernetesClientException e) {
        reportFailed(seen, round, e, client);
        throw e;
      }
      if (blockers != null) {
        return askAgainIfUnanswered(
            seen.policy(), decided.unanswered(), report(seen, round, blockers, client, null));
      }
    }
    // the fleet kept changing under every plan: look again shortly, with fresher caches
    return UpdateControl.<OSUpdatePolicy>noUpdate().rescheduleAfter(STILL_FRESH);
  }

  /**
   * The policy is being deleted: nothing new starts; nodes rebooting are let finish, everything
   * else of the policy's is stopped and handed back; the finalizer goes when nothing is left.
   */
  @Override
  public DeleteControl cleanup(OSUpdatePolicy policy, Context<OSUpdatePolicy> context) {
    policyMetrics.reconciled(policy.getMetadata().getName());
    lastLanded.remove(policy.getMetadata().getUid());
    lastLogged.remove(policy.getMetadata().getUid());
    unansweredRounds.remove(policy.getMetadata().getUid());
    queries.forget(policy);
    DeleteControl step = deletion.step(policy, context.getClient());
    if (step.isRemoveFinalizer()) {
      rolloutMetrics.forget(policy.getMetadata().getName());
    }
    return step;
  }

  /**
   * Whether the API server still has the spec the round was planned from, no deletion, and none of
   * the policy's nodes less available than planned; no when it does not answer.
   */
  private boolean stillAsPlanned(
      Observation plannedFrom, KubernetesClient client, Set<String> starts) {
    try {
      return specUnchanged(plannedFrom.policy(), client)
          && caches.stillAvailableAsSeen(plannedFrom, client, starts);
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /**
   * A round whose starts waited for an answer the API server did not give asks again soon: after
   * {@link #UNANSWERED_FIRST}, doubled for each such round in a row up to {@link #UNANSWERED_MAX},
   * or sooner if the round itself must wake sooner. A round that was answered resets the count.
   */
  private UpdateControl<OSUpdatePolicy> askAgainIfUnanswered(
      OSUpdatePolicy policy, String unanswered, UpdateControl<OSUpdatePolicy> control) {
    String uid = policy.getMetadata().getUid();
    if (unanswered == null) {
      unansweredRounds.remove(uid);
      return control;
    }
    int rounds = unansweredRounds.merge(uid, 1, Integer::sum);
    Duration wait = unansweredWait(rounds);
    if (control.getScheduleDelay().map(d -> d > wait.toMillis()).orElse(true)) {
      control.rescheduleAfter(wait);
    }
    return control;
  }

  /** The wait after the given number of unanswered rounds in a row. */
  static Duration unansweredWait(int rounds) {
    Duration wait = UNANSWERED_FIRST;
    for (int i = 1; i < rounds && wait.compareTo(UNANSWERED_MAX) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(UNANSWERED_MAX) < 0 ? wait : UNANSWERED_MAX;
  }

  /** Whether the API server still has the spec the round was planned from, and no deletion. */
  private static boolean specUnchanged(OSUpdatePolicy planned, KubernetesClient client) {
    OSUpdatePolicy onServer = PolicyCaches.onServer(planned, client);
    return onServer != null
        && onServer.getMetadata().getDeletionTimestamp() == null
        && PolicyCaches.generation(onServer) == PolicyCaches.generation(planned);
  }

  /**
   * Whether the round takes a node out of service: one that was in service for Refit before it, or
   * a cordon set on a node in service now (a start whose cordon did not land before).
   */
  private static boolean startsDisruption(Round.Result round) {
    return round.nodes().stream()
        .anyMatch(
            n ->
                NodeDriver.takesOutOfService(n)
                    || n.last().state().occupiesSlot()
                        && (n.input().osNode() == null
                            || n.input().osNode().getSpec().getState() == null
                            || !n.input().osNode().getSpec().getState().occupiesSlot()));
  }

  /**
   * A round, and why its starts wait for an answer the API server did not give (null when they do
   * not).
   */
  record Decided(Round.Result round, String unanswered) {}

  /**
   * The round: the policy's settings resolved against what was seen, then the pure plan. A round
   * that needs a fresh answer of the policy's Prometheus check asks for it; the answer wakes the
   * policy. When a read its starts need goes unanswered (here, the budgets of a candidate's pods,
   * or before, the confirmation of the view), no node starts in the round, and the rest of it (the
   * nodes already under way) goes on: one slow answer must not stop a whole rollout.
   *
   * @param unanswered why the round's starts wait for the API server, or null
   */
  private Decided decide(Observation seen, String unanswered) {
    Round.Settings roundSettings =
        RoundSettings.of(
            seen.policy().getSpec(),
            seen.managed().size(),
            seen.specProblems(),
            seen.window(),
            settings.operatorNode(),
            queries.check(seen.policy()),
            seen.target().revision());
    Decided decided;
    if (unanswered != null) {
      decided = new Decided(heldRound(seen, roundSettings, unanswered), unanswered);
    } else {
      try {
        decided =
            new Decided(
                checkedBudgets(
                    seen, roundSettings, Round.round(roundSettings, seen.managed(), seen.now())),
                null);
      } catch (KubernetesClientException e) {
        String why =
            "the API server did not answer a read of the budgets protecting the next node's pods: "
                + ApiRefusals.describe(e);
        decided = new Decided(heldRound(seen, roundSettings, why), why);
      }
    }
    if (decided.round().askQuery()) {
      queries.ask(seen.policy());
    }
    return decided;
  }

  /** The round with no node starting, for {@code why} unless the spec already holds it. */
  private static Round.Result heldRound(Observation seen, Round.Settings settings, String why) {
    if (settings.hold() != null) {
      return Round.round(settings, seen.managed(), seen.now());
    }
    Round.Settings held = settings.toBuilder().hold(why + "; asking again").build();
    return Round.round(held, seen.managed(), seen.now()).waitingForApi();
  }

  /**
   * Before a node is cordoned, the budgets of the pods its drain would evict are read: a node whose
   * drain could never finish (a budget that allows no eviction even with all its pods healthy) is
   * handled as {@code drain.onTimeout} says, Halt or Skip, without being cordoned, and its slot
   * goes to the next node, checked the same way. Under Force the drain runs and is forced at its
   * timeout, so nothing is read.
   */
  private Round.Result checkedBudgets(
      Observation seen, Round.Settings roundSettings, Round.Result round) {
    if (roundSettings.onTimeout() == OnTimeout.Force || seen.policy().getSpec() == null) {
      return round;
    }
    Drain drain = seen.policy().getSpec().getDrain();
    PodBudgets.Check check = drains.budgetCheck();
    Map<String, String> undrainable = new HashMap<>();
    Set<String> checked = new HashSet<>();
    Round.Result checkedRound = round;
    boolean found = true;
    while (found) {
      found = false;
      for (Round.NodeResult node : checkedRound.nodes()) {
        if (node.cordonsNow() && checked.add(node.name())) {
          Optional<String> budgets = check.undrainable(node.name(), drain);
          budgets.ifPresent(b -> undrainable.put(node.name(), b));
          found |= budgets.isPresent();
        }
      }
      if (found) {
        checkedRound = Round.round(roundSettings, seen.managed(), seen.now(), undrainable);
      }
    }
    return checkedRound;
  }

  /**
   * Makes the round true: OSNodes, cordons and drains of the managed nodes, then gives back the
   * nodes this policy no longer manages. Returns what blocks each draining node now, or null when
   * the fleet changed before the round could take a node out of service (plan again).
   */
  private Map<String, Blocker> act(
      Observation seen, Round.Result round, BooleanSupplier startsStillHold) {
    if (!driver.apply(
        seen.policy(), seen.target().moduleDigests(), round.nodes(), caches, startsStillHold)) {
      return null;
    }
    release(seen);
    Map<String, Blocker> blockers = blockers(round);
    for (Round.NodeResult node : round.nodes()) {
      Blocker blocker = blockers.get(node.name());
      if (blocker != null) {
        driver.blocked(node.input().node(), blocker);
      }
    }
    return blockers;
  }

  /** What blocks each of the round's draining nodes now, by node. */
  private Map<String, Blocker> blockers(Round.Result round) {
    Map<String, Blocker> blockers = new LinkedHashMap<>();
    round.nodes().forEach(n -> drains.blocker(n.name()).ifPresent(b -> blockers.put(n.name(), b)));
    return blockers;
  }

  /**
   * A round whose writes the API refused still reports: the status says what the round decided and
   * that the API refused a write, so a person sees the rollout and the trouble while the Operator
   * SDK retries the round (the writes that landed stay; each is idempotent). A status write that
   * fails too is added to the round's error.
   */
  private void reportFailed(
      Observation seen, Round.Result round, KubernetesClientException e, KubernetesClient client) {
    try {
      report(seen, round, blockers(round), client, ApiRefusals.describe(e));
    } catch (KubernetesClientException statusFailed) {
      e.addSuppressed(statusFailed);
    }
  }

  /**
   * Status, Events and metrics of the round, and when to look again if nothing happens.
   *
   * @param refused what the API refused of the round's writes, or null when all of them landed
   */
  private UpdateControl<OSUpdatePolicy> report(
      Observation seen,
      Round.Result round,
      Map<String, Blocker> blockers,
      KubernetesClient client,
      String refused) {
    OSUpdatePolicy policy = seen.policy();
    String name = seen.name();
    OSUpdatePolicyStatus status =
        PolicyStatusComposer.compose(
            new PolicyStatusComposer.Inputs(
                policy,
                seen.claims(),
                seen.specProblems(),
                round,
                blockers,
                seen.window(),
                seen.now()));
    String uid = policy.getMetadata().getUid();
    if (refused != null) {
      PolicyStatusComposer.refused(status, refused);
    } else {
      OSUpdatePolicyStatus before = lastLanded.getOrDefault(uid, policy.getStatus());
      PolicyNotices.transitions(policy, before, status).forEach(events::record);
      lastLanded.put(uid, status);
    }
    ConditionChanges.lines(lastLogged.getOrDefault(uid, policy.getStatus()), status)
        .forEach(line -> LOG.infof("Policy %s: %s", name, line));
    lastLogged.put(uid, status);
    recordMetrics(name, round, blockers, seen);
    if (statusWriter.write(client, policy, status)) {
      policyMetrics.statusWritten(name);
    }
    UpdateControl<OSUpdatePolicy> control = UpdateControl.noUpdate();
    NextWake.of(round, blockers, seen.window(), seen.now()).ifPresent(control::rescheduleAfter);
    return control;
  }

  /** OSNodes of this policy whose nodes it no longer manages are given back. */
  private void release(Observation seen) {
    Set<String> managed = new HashSet<>();
    seen.managed().forEach(n -> managed.add(n.name()));
    Map<String, Node> byName =
        seen.nodes().stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
    for (OSNode osNode : seen.ours().values()) {
      String node = osNode.getMetadata().getName();
      if (!managed.contains(node)) {
        driver.release(seen.name(), osNode, byName.get(node), caches);
        caches.deleted(node);
      }
    }
  }

  private void recordMetrics(
      String policy, Round.Result round, Map<String, Blocker> blockers, Observation seen) {
    Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
    round.nodes().forEach(n -> counts.merge(n.last().state(), 1, Integer::sum));
    rolloutMetrics.nodes(policy, counts);
    rolloutMetrics.halted(policy, round.plan().halted());
    rolloutMetrics.drainsBlocked(
        policy,
        blockers.values().stream().map(b -> Duration.between(b.since(), seen.now())).toList());
  }

  @Override
  @PreDestroy
  public void close() {
    if (drains != null) {
      drains.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (events != null) {
      events.close();
    }
  }
}
