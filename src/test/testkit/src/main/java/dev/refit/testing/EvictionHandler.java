package dev.refit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refit.testing.EvictionDecision.Outcome;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The Eviction API ({@code POST /api/v1/namespaces/NS/pods/NAME/eviction}) as the real API server
 * implements it: budget checks, then a graceful deletion that marks the pod terminating and leaves
 * the final removal to the (fake) kubelet.
 */
final class EvictionHandler {

  static final String BLOCKED_MESSAGE =
      "Cannot evict pod as it would violate the pod's disruption budget.";
  static final String MULTIPLE_BUDGETS_MESSAGE =
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not"
          + " support.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodStore store;
  private final DisruptionLog log;
  private final Clock clock;

  EvictionHandler(PodStore store, DisruptionLog log, Clock clock) {
    this.store = store;
    this.log = log;
    this.clock = clock;
  }

  MockResponse evict(String namespace, String name, String body) {
    Long requestedGrace = requestedGracePeriod(body);
    return store.exclusively(() -> decide(namespace, name, requestedGrace));
  }

  private MockResponse decide(String namespace, String name, Long requestedGrace) {
    PodStore.StoredPod stored = store.pod(namespace, name);
    if (stored == null) {
      String message = "pods \"" + name + "\" not found";
      record(namespace, name, null, Outcome.NOT_FOUND, message);
      return respond(
          status(404, "NotFound", message).editDetails().withName(name).withKind("pods").and());
    }
    Pod pod = stored.pod();
    if (needsNoBudget(pod)) {
      terminate(stored, requestedGrace);
      record(namespace, name, null, Outcome.ALLOWED, "");
      return respond(success());
    }
    List<PodDisruptionBudget> budgets = PdbOracle.covering(pod, store.budgets(namespace));
    if (budgets.size() > 1) {
      String message = "Internal error occurred: " + MULTIPLE_BUDGETS_MESSAGE;
      record(namespace, name, null, Outcome.MULTIPLE_BUDGETS, message);
      return respond(
          status(500, "InternalError", message)
              .editDetails()
              .addNewCause()
              .withMessage(MULTIPLE_BUDGETS_MESSAGE)
              .endCause()
              .and());
    }
    String budgetName = null;
    if (budgets.size() == 1) {
      PodDisruptionBudget budget = budgets.get(0);
      budgetName = budget.getMetadata().getName();
      PdbOracle.State state =
          PdbOracle.evaluate(
              budget,
              store.pods(namespace, budget.getSpec().getSelector()),
              store::controllerScale);
      if (state.forbidsDisruptionOf(pod, PdbOracle.alwaysAllowsUnhealthy(budget))) {
        String cause =
            String.format(
                "The disruption budget %s needs %d healthy pods and has %d currently",
                budgetName, state.desiredHealthy(), state.currentHealthy());
        record(namespace, name, budgetName, Outcome.BLOCKED, BLOCKED_MESSAGE);
        return respond(
            status(429, "TooManyRequests", BLOCKED_MESSAGE)
                .editDetails()
                .addNewCause()
                .withReason("DisruptionBudget")
                .withMessage(cause)
                .endCause()
                .and());
      }
    }
    terminate(stored, requestedGrace);
    record(namespace, name, budgetName, Outcome.ALLOWED, "");
    return respond(success());
  }

  /**
   * Pods that already cost their budget nothing: finished, never started, or already terminating.
   * The API server deletes those without consulting any budget.
   */
  private static boolean needsNoBudget(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return PdbOracle.isTerminating(pod)
        || "Succeeded".equals(phase)
        || "Failed".equals(phase)
        || "Pending".equals(phase);
  }

  private void terminate(PodStore.StoredPod stored, Long requestedGrace) {
    Pod pod = stored.pod();
    if (PdbOracle.isTerminating(pod) && (requestedGrace == null || requestedGrace > 0)) {
      return;
    }
    long grace = gracePeriod(pod, requestedGrace);
    boolean unbound = pod.getSpec() == null || isBlank(pod.getSpec().getNodeName());
    if (grace == 0 || unbound) {
      // No kubelet has to stop anything: the API server removes the pod at once.
      store.remove(stored);
      return;
    }
    String now = now().toString();
    pod.getMetadata().setDeletionTimestamp(now);
    pod.getMetadata().setDeletionGracePeriodSeconds(grace);
    pod.getMetadata().setResourceVersion(String.valueOf(store.nextResourceVersion()));
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if (("Ready".equals(condition.getType()) || "ContainersReady".equals(condition.getType()))
            && !"False".equals(condition.getStatus())) {
          condition.setStatus("False");
          condition.setLastTransitionTime(now);
        }
      }
    }
    store.replace(stored, pod);
  }

  private static long gracePeriod(Pod pod, Long requested) {
    if (requested != null) {
      return Math.max(0, requested);
    }
    Long declared = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
    return declared == null ? HarnessTiming.DEFAULT_GRACE_SECONDS : declared;
  }

  private static Long requestedGracePeriod(String body) {
    if (isBlank(body)) {
      return null;
    }
    try {
      JsonNode grace = JSON.readTree(body).path("deleteOptions").path("gracePeriodSeconds");
      return grace.isNumber() ? grace.asLong() : null;
    } catch (IOException e) {
      return null; // a malformed body asks for nothing special
    }
  }

  private void record(String namespace, String pod, String budget, Outcome outcome, String msg) {
    log.record(new EvictionDecision(clock.instant(), namespace, pod, budget, outcome, msg));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private static StatusBuilder status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .withNewMetadata()
        .endMetadata()
        .withNewDetails()
        .endDetails();
  }

  private static StatusBuilder success() {
    return new StatusBuilder().withStatus("Success").withCode(201).withNewMetadata().endMetadata();
  }

  private static MockResponse respond(StatusBuilder status) {
    Status built = status.build();
    return new MockResponse().setResponseCode(built.getCode()).setBody(Serialization.asJson(built));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
