package dev.refit.operator.act;

import dev.refit.operator.status.Notice;
import dev.refit.operator.status.Notice.Type;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on policies and Nodes (what {@code kubectl describe} shows). Events of
 * cluster-scoped objects live in one namespace ("default" by convention). A repeated event is
 * counted on the existing Event rather than written anew, as client-go's recorder does. Events are
 * best effort and sent off the reconciliation thread: a failure is logged, never thrown.
 */
public class EventRecorder implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final ExecutorService sender;
  private final Map<String, Event> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "refit-events");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Records the Event. */
  public void record(Notice notice) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    sender.execute(
        () -> send(notice.about(), notice.type(), notice.reason(), notice.message(), now));
  }

  private void send(HasMetadata about, Type type, String reason, String message, String now) {
    String key =
        about.getKind() + "/" + about.getMetadata().getName() + "/" + reason + "/" + message;
    try {
      Event previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      Event written;
      if (previous != null) {
        previous.setCount(previous.getCount() == null ? 2 : previous.getCount() + 1);
        previous.setLastTimestamp(now);
        written = client.v1().events().inNamespace(namespace).resource(previous).update();
      } else {
        written =
            client
                .v1()
                .events()
                .inNamespace(namespace)
                .resource(event(about, type, reason, message, now))
                .create();
      }
      synchronized (recent) {
        recent.put(key, written);
      }
    } catch (KubernetesClientException e) {
      synchronized (recent) {
        recent.remove(key);
      }
      LOG.debugf(
          "Could not record event %s on %s: %s",
          reason, about.getMetadata().getName(), e.getMessage());
    }
  }

  private Event event(HasMetadata about, Type type, String reason, String message, String now) {
    String name =
        about.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis())
            + Integer.toHexString((reason + message).hashCode() & 0xfff);
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(about.getApiVersion())
                .withKind(about.getKind())
                .withName(about.getMetadata().getName())
                .withUid(about.getMetadata().getUid())
                .build())
        .withType(type.name())
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource()
        .withComponent("refit-operator")
        .endSource()
        .withReportingComponent("refit.dev/operator")
        .build();
  }

  @Override
  public void close() {
    sender.shutdown();
  }
}
