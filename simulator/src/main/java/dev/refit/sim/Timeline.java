package dev.refit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refit.admission.Admission;
import dev.refit.api.OSUpdatePolicy;
import dev.refit.testing.invariants.NoForeignUncordon;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a scenario's {@link TimedEvent}s when their time comes, as the people and machines around a
 * cluster would: a policy edit goes through admission as {@code kubectl edit} would (one the API
 * server would refuse is noted and not made), a person's cordon is declared to the observer so
 * Refit is held to leaving it alone.
 */
final class Timeline {

  /** Where the events act. */
  record Targets(
      SimulatedFleet fleet,
      Operators operators,
      NoForeignUncordon foreignCordons,
      Admission admission) {}

  /** How long after an event the observer's watches surely show what it changed (seconds). */
  static final double EVENT_SEEN_WITHIN = 1.0;

  private final List<TimedEvent> pending;
  private final Targets targets;
  private final Consumer<String> notes;
  private final KubernetesClient person;
  private final java.util.Set<String> cordonedByPerson = new java.util.HashSet<>();
  private double lastElapsed;
  private double unseenUntil;

  Timeline(List<TimedEvent> events, Targets targets, Consumer<String> notes) {
    this.pending = new ArrayList<>(events);
    this.pending.sort(Comparator.comparingDouble(TimedEvent::atSeconds));
    this.targets = targets;
    this.notes = notes;
    this.person = targets.fleet().api.newClient("kubectl/simulated-person");
  }

  /**
   * Whether events are still to come, or the last one's change may not be seen yet: a policy edit
   * reaches the observer a moment later, a hand-made SELinux change only at the agents' next fact
   * refresh, and until then the fleet looks as settled as before.
   */
  boolean pending() {
    return !pending.isEmpty() || lastElapsed < unseenUntil;
  }

  /** Runs every event due by {@code elapsed}; returns whether any ran. */
  boolean runDue(double elapsed) throws IOException, InterruptedException {
    lastElapsed = elapsed;
    boolean ran = false;
    while (!pending.isEmpty() && pending.get(0).atSeconds() <= elapsed) {
      TimedEvent event = pending.remove(0);
      // what an event changed reaches the observer's watches a moment later (an agent notices a
      // hand-made SELinux change only at its next fact refresh): until then the fleet looks as
      // settled as before the event, and the run must not end on that
      double unseen =
          event.selinux() != null
              ? SimulatedAgents.FACTS_INTERVAL.toMillis() / 1000.0 + 1
              : EVENT_SEEN_WITHIN;
      unseenUntil = Math.max(unseenUntil, elapsed + unseen);
      String outcome = run(event);
      notes.accept(
          String.format(
              "t=%.1fs %s%s", elapsed, event.describe(), outcome == null ? "" : ": " + outcome));
      ran = true;
    }
    return ran;
  }

  /** Runs one event; returns why it could not be done, or null. */
  private String run(TimedEvent event) throws IOException, InterruptedException {
    SimulatedFleet fleet = targets.fleet();
    try {
      if (Boolean.TRUE.equals(event.killOperator())) {
        targets.operators().killLeader();
      } else if (event.restartAgent() != null) {
        if ("all".equals(event.restartAgent())) {
          fleet.nodeNames().forEach(fleet::restartAgent);
        } else {
          fleet.restartAgent(event.restartAgent());
        }
      } else if (event.editPolicy() != null) {
        return edit(event.editPolicy(), event.spec());
      } else if (event.deletePolicy() != null) {
        person.resources(OSUpdatePolicy.class).withName(event.deletePolicy()).delete();
      } else if (event.addNodes() != null) {
        fleet.join(event.addNodes());
      } else if (event.deleteNode() != null) {
        fleet.remove(event.deleteNode());
      } else if (event.cordon() != null) {
        return cordon(event.cordon());
      } else if (event.uncordon() != null) {
        return uncordon(event.uncordon());
      } else if (event.relaxBudget() != null) {
        relax(event.relaxBudget());
      } else if (event.selinux() != null) {
        return fleet.changeSelinuxByHand(event.selinux());
      }
    } catch (IllegalArgumentException | KubernetesClientException e) {
      return "not done: " + e.getMessage();
    }
    return null;
  }

  /**
   * Edits a policy's spec as a person would: reads it, merges the change, has it judged as the API
   * server would, and replaces it (reading again after a conflict).
   */
  private String edit(String name, JsonNode change) {
    for (int attempt = 0; attempt < 5; attempt++) {
      OSUpdatePolicy current = person.resources(OSUpdatePolicy.class).withName(name).get();
      if (current == null) {
        return "not done: no policy " + name;
      }
      ObjectNode manifest = (ObjectNode) Serialization.jsonMapper().valueToTree(current);
      manifest.remove("status");
      merge((ObjectNode) manifest.path("spec"), change);
      List<String> errors = targets.admission().validate(manifest);
      if (!errors.isEmpty()) {
        return "refused by the API server: " + String.join("; ", errors);
      }
      JsonNode admitted = targets.admission().defaulted(manifest);
      try {
        person
            .resources(OSUpdatePolicy.class)
            .resource(Serialization.jsonMapper().convertValue(admitted, OSUpdatePolicy.class))
            .update();
        return null;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    return "not done: the policy kept changing under the edit";
  }

  /** A JSON merge patch (RFC 7386) of {@code change} into {@code target}. */
  static void merge(ObjectNode target, JsonNode change) {
    change
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              if (value.isNull()) {
                target.remove(field.getKey());
              } else if (value.isObject() && target.path(field.getKey()).isObject()) {
                merge((ObjectNode) target.get(field.getKey()), value);
              } else {
                target.set(field.getKey(), value.deepCopy());
              }
            });
  }

  /**
   * A person cordons a node, as {@code kubectl cordon} does; a node already cordoned (by Refit or
   * anyone) stays as it is, and the cordon is not the person's.
   */
  private String cordon(String node) {
    Node current = person.nodes().withName(node).get();
    if (current == null) {
      return "not done: no node " + node;
    }
    if (Boolean.TRUE.equals(current.getSpec().getUnschedulable())) {
      return "not done: already cordoned";
    }
    // declared first: from the moment the cordon exists, Refit must leave it alone
    targets.foreignCordons().cordonedByPerson(node);
    cordonedByPerson.add(node);
    setUnschedulable(node, true);
    return null;
  }

  /** A person lifts their own cordon (never one they did not set). */
  private String uncordon(String node) {
    if (!cordonedByPerson.remove(node)) {
      return "not done: the person did not cordon " + node;
    }
    // declared first: the watch may see the node uncordoned before this returns
    targets.foreignCordons().uncordonedByPerson(node);
    setUnschedulable(node, false);
    return null;
  }

  private void setUnschedulable(String node, boolean unschedulable) {
    person
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(unschedulable ? true : null);
              return n;
            });
  }

  /** The workload's budget now allows one pod down at a time. */
  private void relax(String workload) {
    for (PodDisruptionBudget budget :
        person.resources(PodDisruptionBudget.class).inAnyNamespace().list().getItems()) {
      if (budget.getMetadata().getName().equals(workload)) {
        person
            .resources(PodDisruptionBudget.class)
            .inNamespace(budget.getMetadata().getNamespace())
            .withName(workload)
            .edit(
                b -> {
                  b.getSpec().setMinAvailable(null);
                  b.getSpec().setMaxUnavailable(new IntOrString(1));
                  return b;
                });
        return;
      }
    }
    throw new IllegalArgumentException("no budget named " + workload);
  }

  void close() {
    person.close();
  }
}
