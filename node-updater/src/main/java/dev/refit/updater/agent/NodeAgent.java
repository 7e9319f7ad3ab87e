package dev.refit.updater.agent;

import dev.refit.api.HostError;
import dev.refit.api.OSNode;
import dev.refit.api.OSNodeStatus;
import dev.refit.api.SELinuxModule;
import dev.refit.updater.agent.AgentDecision.Kind;
import dev.refit.updater.host.HostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's agent: carries out {@link AgentStep}'s decisions on the host through an {@link
 * OsBackend} and reports through a {@link StatusSink}. It does not know how OSNode events reach it
 * ({@link #onOsNode} is called by a watch, a shared informer of a simulator, or a test), so many
 * agents can share one process and one executor.
 *
 * <p>Steps of one agent never overlap. A step starts when the OSNode's spec changes, when a timer
 * it set fires (a staging in progress, a reboot awaited, a retry), and every {@link
 * AgentSettings#factsInterval} to pick up host changes; a spec first seen in the response to the
 * agent's own status write starts one too. The status is written only when it changed, and before
 * any host action the record of that action is written and confirmed.
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeAgent.class.getName());

  /** How soon a refused host is looked at again while an instruction waits for it. */
  static final Duration REFUSAL_RECHECK = Duration.ofMinutes(1);

  private final String node;
  private final OsBackend backend;
  private final StatusSink sink;
  private final ModuleSources sources;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final AgentSettings settings;
  private final AgentMetrics metrics;
  private final OsNodeCache cache = new OsNodeCache();
  private final ReentrantLock stepLock = new ReentrantLock();
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean closed;
  private ScheduledFuture<?> refresh;
  private int failures;

  public NodeAgent(
      String node,
      OsBackend backend,
      StatusSink sink,
      ModuleSources sources,
      ScheduledExecutorService executor,
      Clock clock,
      AgentSettings settings,
      AgentMetrics metrics) {
    this.node = node;
    this.backend = backend;
    this.sink = sink;
    this.sources = sources;
    this.executor = executor;
    this.clock = clock;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts the periodic fact refresh. Steps start with the first OSNode event. */
  public NodeAgent start() {
    long every = settings.factsInterval().toMillis();
    refresh = executor.scheduleWithFixedDelay(this::trigger, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  public String node() {
    return node;
  }

  /** The OSNode as a watch delivered it. A changed spec starts a step. */
  public void onOsNode(OSNode osNode) {
    if (cache.offer(osNode)) {
      trigger();
    }
  }

  /** The OSNode is gone: there is nothing to report to until it comes back. */
  public void onOsNodeDeleted() {
    cache.clear();
  }

  /** Runs a step soon (at most one waits in line). */
  public void trigger() {
    if (!closed && queued.compareAndSet(false, true)) {
      executor.execute(this::runStep);
    }
  }

  /** Runs one step on the calling thread; for tests that drive the agent step by step. */
  void stepNow() {
    stepLock.lock();
    try {
      step();
    } finally {
      stepLock.unlock();
    }
  }

  private void later(Duration delay) {
    if (!closed) {
      executor.schedule(this::trigger, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }
  }

  private void runStep() {
    queued.set(false);
    stepLock.lock();
    try {
      if (!closed) {
        step();
      }
    } catch (RuntimeException e) {
      // A write the API refused, or a bug: never let the agent die; try again later.
      failures++;
      LOG.log(Level.WARNING, node + ": step failed, retrying", e);
      later(settings.backoff(failures));
    } finally {
      stepLock.unlock();
    }
  }

  private void step() {
    OSNode osNode = cache.latest();
    if (osNode == null) {
      return;
    }
    Instant now = clock.instant();
    ActionRecord record = ActionRecord.of(osNode.getStatus());
    Desired desired = Desired.of(osNode.getSpec());
    HostFacts facts;
    try {
      facts = backend.facts();
    } catch (HostException e) {
      factsFailed(osNode, desired, record, e, now);
      return;
    }
    failures = 0;
    AgentDecision decision = AgentStep.decide(desired, record, facts, now, settings.rebootGrace());
    execute(osNode, desired, facts, decision);
  }

  private void execute(OSNode osNode, Desired desired, HostFacts facts, AgentDecision d) {
    String action = desired.action().name();
    if (d.kind() == Kind.REPORT) {
      report(osNode, desired, d.record(), facts);
      metrics.step(action, outcome(d.record(), desired));
      return;
    }
    if (d.kind() == Kind.REFUSED) {
      report(osNode, desired, d.record(), facts);
      later(recheck());
      metrics.step(action, "refused");
      return;
    }
    if (d.kind() == Kind.AWAIT_REBOOT) {
      report(osNode, desired, d.record(), facts);
      later(Duration.between(clock.instant(), d.wakeAt()).plusSeconds(1));
      metrics.step(action, "awaiting_reboot");
      return;
    }
    if (!ActionRecord.of(osNode.getStatus()).observed(desired.actionId())) {
      backend.instructionStarted(desired.actionId());
    }
    // The record of the action goes to the API before the host is touched.
    OSNode written = report(osNode, desired, d.record(), facts);
    try {
      switch (d.kind()) {
        case STAGE -> stage(written, desired, facts, d.record());
        case APPLY_LIVE -> applyLive(written, desired, facts, d.record());
        case REBOOT, ROLLBACK -> reboot(written, desired, facts, d);
        default -> throw new IllegalStateException("unexpected " + d.kind());
      }
    } catch (HostException e) {
      LOG.warning(node + ": " + action + " failed: " + e.getMessage());
      finish(written, desired, d.record().failed(error(e)));
      metrics.step(action, "failed");
    }
  }

  private void stage(OSNode osNode, Desired desired, HostFacts facts, ActionRecord record)
      throws HostException {
    StageProgress progress = backend.stage(desired.os(), desired.selinux(), facts);
    if (progress instanceof StageProgress.InProgress p) {
      metrics.step("Stage", "in_progress");
      later(p.pollAfter());
      return;
    }
    confirm(osNode, desired, record, Kind.STAGE, "StageNotVisible", "staging finished");
  }

  private void applyLive(OSNode osNode, Desired desired, HostFacts facts, ActionRecord record)
      throws HostException {
    Optional<Map<String, String>> sources = sourcesToInstall(osNode, desired, facts, record);
    if (sources.isEmpty()) {
      return;
    }
    backend.applyLive(desired.selinux(), sources.get(), facts);
    confirm(osNode, desired, record, Kind.APPLY_LIVE, "ApplyNotVisible", "the change applied");
  }

  /** After the tool said done, the facts must show it; otherwise the action fails, not loops. */
  private void confirm(
      OSNode osNode, Desired desired, ActionRecord record, Kind again, String reason, String what)
      throws HostException {
    HostFacts after = backend.facts();
    Instant now = clock.instant();
    AgentDecision next = AgentStep.decide(desired, record, after, now, settings.rebootGrace());
    ActionRecord result =
        next.kind() == again
            ? record.failed(
                AgentStep.error(
                    reason,
                    what
                        + " but the host does not show the target "
                        + desired.os()
                        + " (booted "
                        + after.booted()
                        + ", staged "
                        + after.staged().map(Object::toString).orElse("nothing")
                        + ")",
                    now))
            : next.record();
    report(osNode, desired, result, after);
    metrics.step(desired.action().name(), outcome(result, desired));
  }

  private void reboot(OSNode osNode, Desired desired, HostFacts facts, AgentDecision d)
      throws HostException {
    // what applies live goes first (the node is drained), so the new boot starts with it
    if (d.kind() == Kind.REBOOT && !TargetMatch.selinuxApplied(desired, facts.selinux())) {
      Optional<Map<String, String>> sources = sourcesToInstall(osNode, desired, facts, d.record());
      if (sources.isEmpty()) {
        return; // no reboot either: the host would boot the target without its modules
      }
      backend.applyLive(desired.selinux(), sources.get(), facts);
    }
    Instant now = clock.instant();
    backend.recordRebootRequest(new RebootRequest(desired.actionId(), facts.bootId(), now));
    try {
      if (d.kind() == Kind.REBOOT) {
        backend.finalizeAndReboot(facts);
      } else {
        backend.rollbackAndReboot(facts);
      }
      metrics.step(desired.action().name(), "reboot_requested");
    } catch (HostException e) {
      // The host may be going down anyway (shutdown kills the command): only the boot ID can
      // tell. Keep the instruction Running with the error; the grace period decides.
      LOG.warning(node + ": reboot command failed, waiting for the boot ID: " + e.getMessage());
      finish(osNode, desired, d.record().withError(error(e)));
      metrics.step(desired.action().name(), "reboot_uncertain");
    }
    later(settings.rebootGrace().plusSeconds(1));
  }

  private void factsFailed(
      OSNode osNode, Desired desired, ActionRecord record, HostException e, Instant now) {
    failures++;
    HostError err = error(e);
    boolean pending = desired.instructed() && !record.finished(desired.actionId());
    ActionRecord next =
        pending && failures >= settings.maxFactFailures()
            ? (record.observed(desired.actionId())
                    ? record
                    : ActionRecord.running(desired.actionId(), null))
                .failed(err)
            : record.withError(err);
    LOG.warning(node + ": cannot read host facts (" + failures + "): " + e.getMessage());
    finish(osNode, desired, next);
    metrics.step(desired.action().name(), "facts_failed");
    later(settings.backoff(failures));
  }

  /** Writes a record when the facts cannot be read: the last reported facts stay. */
  private void finish(OSNode osNode, Desired desired, ActionRecord record) {
    OSNodeStatus status =
        StatusComposer.withRecord(osNode.getStatus(), record, generation(osNode), clock.instant());
    write(osNode, status);
  }

  private OSNode report(OSNode osNode, Desired desired, ActionRecord record, HostFacts facts) {
    OSNodeStatus status =
        StatusComposer.compose(
            desired, record, facts, osNode.getStatus(), generation(osNode), clock.instant());
    return write(osNode, status);
  }

  private OSNode write(OSNode osNode, OSNodeStatus status) {
    if (StatusComposer.same(osNode.getStatus(), status)) {
      return osNode;
    }
    OSNode written = sink.write(osNode, status);
    if (written == null) {
      throw new IllegalStateException("OSNode " + node + " is gone");
    }
    // The response may carry a spec the operator wrote since this step began. The watch event
    // for it is then no news to the cache, so this is the only chance to take it up.
    if (cache.offer(written)) {
      trigger();
    }
    return written;
  }

  /**
   * The CIL of the modules this apply installs ({@link TargetMatch#toInstall}), read now, and of
   * every inline module (which costs no read). A source that cannot be read, or that no longer has
   * the digest the work order names (its ConfigMap changed after the operator read it), is not
   * installed: the instruction stays Running with that error, and the agent looks again when the
   * work order changes (the operator's next revision) or after a while. Empty when it waits.
   */
  private Optional<Map<String, String>> sourcesToInstall(
      OSNode osNode, Desired desired, HostFacts facts, ActionRecord record) {
    Map<String, String> read = new TreeMap<>();
    desired.selinux().getModules().stream()
        .filter(m -> m.getCil() != null)
        .forEach(m -> read.put(m.getName(), m.getCil()));
    try {
      for (SELinuxModule module : TargetMatch.toInstall(desired, facts.selinux())) {
        read.put(module.getName(), ModuleSourceCheck.verified(module, desired, sources));
      }
      return Optional.of(read);
    } catch (HostException e) {
      LOG.warning(node + ": not installing: " + e.getMessage());
      finish(osNode, desired, record.withError(error(e)));
      metrics.step(desired.action().name(), "waiting_for_source");
      later(recheck());
      return Optional.empty();
    }
  }

  /** When to look again at an instruction that waits for the host or for its module sources. */
  private Duration recheck() {
    return REFUSAL_RECHECK.compareTo(settings.factsInterval()) < 0
        ? REFUSAL_RECHECK
        : settings.factsInterval();
  }

  private HostError error(HostException e) {
    return AgentStep.error(e.reason(), e.getMessage(), clock.instant());
  }

  private static Long generation(OSNode osNode) {
    return osNode.getMetadata() == null ? null : osNode.getMetadata().getGeneration();
  }

  private static String outcome(ActionRecord record, Desired desired) {
    if (!desired.instructed() || !record.observed(desired.actionId()) || record.state() == null) {
      return "reported";
    }
    return record.state().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() {
    closed = true;
    if (refresh != null) {
      refresh.cancel(false);
    }
  }
}
