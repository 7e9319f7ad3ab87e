package dev.refit.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An Event a round means to record: what it is about, its type, reason and message. Chosen by pure
 * code ({@link PolicyNotices}, {@link NodeNotices}) and recorded by the act layer.
 *
 * @param about the object the Event is about (a Node or the policy)
 * @param type Normal or Warning
 * @param reason the CamelCase reason (see {@code dev.refit.api.EventReasons})
 * @param message what a person should know
 */
public record Notice(HasMetadata about, Type type, String reason, String message) {

  /** Normal or Warning, as Kubernetes has them. */
  public enum Type {
    Normal,
    Warning
  }

  /** A Normal notice. */
  public static Notice normal(HasMetadata about, String reason, String message) {
    return new Notice(about, Type.Normal, reason, message);
  }

  /** A Warning notice. */
  public static Notice warning(HasMetadata about, String reason, String message) {
    return new Notice(about, Type.Warning, reason, message);
  }
}
