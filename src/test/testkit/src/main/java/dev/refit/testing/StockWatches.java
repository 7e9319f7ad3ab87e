package dev.refit.testing;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * Opens watches exactly as Fabric8's CRUD dispatcher does (its own listener class, registered in
 * its own listener set, so every later write reaches the watch through the stock code), except for
 * the replay of existing objects when the watch opens: the stock replay scans the whole store,
 * which at fleet scale stalled the event loop for ~100 ms per watch; the caller replays from the
 * index instead.
 *
 * <p>The listener class and set are not public, hence reflection; Fabric8 7.3.1 is pinned, and a
 * change there fails when the API starts.
 */
final class StockWatches {

  private static final Class<?> LISTENER_CLASS = listenerClass();
  private static final Constructor<?> NEW_LISTENER = newListener();
  private static final Method SEND = send();
  private static final Field SOCKET = socketField();
  private static final Object LOGGER = IndexedCrudDispatcher.stockField(null, "LOGGER");

  private final Context context;
  private final Set<Object> listeners;

  @SuppressWarnings("unchecked")
  StockWatches(KubernetesCrudDispatcher dispatcher, Context context) {
    this.context = context;
    this.listeners =
        (Set<Object>) IndexedCrudDispatcher.stockField(dispatcher, "watchEventListeners");
  }

  /** A registered stock listener for {@code query} that calls {@code replay} when it opens. */
  WebSocketListener open(AttributeSet query, Consumer<Watch> replay) {
    Consumer<Object> onOpen = listener -> replay.accept(new Watch(listener));
    try {
      Object listener = NEW_LISTENER.newInstance(context, query, listeners, LOGGER, onOpen);
      listeners.add(listener);
      return (WebSocketListener) listener;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Closes one open watch whose client's User-Agent passes the test (picked by {@code pick}, given
   * how many there are), as the stock code closes it: the client sees its watch end and watches
   * again. Returns the path of the watch closed, or null when there was none.
   */
  String closeOne(Predicate<String> userAgent, IntUnaryOperator pick) {
    List<WebSocket> open = open(userAgent, path -> true);
    if (open.isEmpty()) {
      return null;
    }
    WebSocket chosen = open.get(pick.applyAsInt(open.size()));
    chosen.close(1000, "watch closed by the server");
    return chosen.request().getPath();
  }

  /**
   * Closes every open watch whose client's User-Agent and path pass the tests; returns how many.
   */
  int closeAll(Predicate<String> userAgent, Predicate<String> path) {
    List<WebSocket> open = open(userAgent, path);
    open.forEach(socket -> socket.close(1000, "watch closed by the server"));
    return open.size();
  }

  private List<WebSocket> open(Predicate<String> userAgent, Predicate<String> path) {
    List<WebSocket> open = new ArrayList<>();
    for (Object listener : List.copyOf(listeners)) {
      WebSocket socket = socketOf(listener);
      if (socket != null
          && userAgent.test(socket.request().getHeader("User-Agent"))
          && path.test(socket.request().getPath())) {
        open.add(socket);
      }
    }
    return open;
  }

  @SuppressWarnings("unchecked")
  private static WebSocket socketOf(Object listener) {
    try {
      return ((AtomicReference<WebSocket>) SOCKET.get(listener)).get();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An open watch, to replay existing objects (and deletions it missed) to. */
  static final class Watch {
    private final Object listener;

    private Watch(Object listener) {
      this.listener = listener;
    }

    void added(String json) {
      send(json, Watcher.Action.ADDED);
    }

    void deleted(String json) {
      send(json, Watcher.Action.DELETED);
    }

    private void send(String json, Watcher.Action action) {
      try {
        SEND.invoke(listener, json, action);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Class<?> listenerClass() {
    try {
      return Class.forName(
          "io.fabric8.kubernetes.client.server.mock.WatchEventsListener",
          false,
          KubernetesCrudDispatcher.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Constructor<?> newListener() {
    for (Constructor<?> constructor : LISTENER_CLASS.getDeclaredConstructors()) {
      if (constructor.getParameterCount() == 5) {
        constructor.setAccessible(true);
        return constructor;
      }
    }
    throw new ExceptionInInitializerError("WatchEventsListener has no 5-argument constructor");
  }

  private static Field socketField() {
    try {
      Field field = LISTENER_CLASS.getDeclaredField("webSocketRef");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static Method send() {
    try {
      Method method =
          LISTENER_CLASS.getMethod("sendWebSocketResponse", String.class, Watcher.Action.class);
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
