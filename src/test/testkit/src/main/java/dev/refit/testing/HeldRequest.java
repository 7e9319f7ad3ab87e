package dev.refit.testing;

/**
 * A request the embedded API may hold back ({@link EmbeddedKubernetes#holdBack}) or forbid ({@link
 * EmbeddedKubernetes#forbid}).
 *
 * @param userAgent the client's User-Agent, or null
 * @param method the HTTP method
 * @param resource the resource, with its subresource ({@code nodes}, {@code pods/eviction})
 * @param name the object's name, or null
 * @param body the request body, or empty
 */
public record HeldRequest(
    String userAgent, String method, String resource, String name, String body) {}
