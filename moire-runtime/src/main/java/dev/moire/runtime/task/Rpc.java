package dev.moire.runtime.task;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityBody.ResponseStatus;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.internal.Checks;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;

/**
 * RPC request and response handles: the caller makes a {@code request} entity, the handler a {@code
 * response} entity for it (its source is where the request is handled), and the request is {@code
 * paired_with} the response. The response's status moves from {@code pending} to {@code ok}, {@code
 * error} or {@code cancelled}, each move a {@code state_changed} event.
 *
 * <pre>{@code
 * try (Rpc.Request req = Rpc.on(runtime).request("Orders.place")) {
 *   // ... on the server side:
 *   try (Rpc.Response res = Rpc.on(runtime).respond(req.id(), "Orders.place")) {
 *     res.ok();
 *   }
 * }
 * }</pre>
 */
public final class Rpc {
  private final MoireRuntime runtime;

  private Rpc(MoireRuntime runtime) {
    this.runtime = runtime;
  }

  /** Returns the RPC handles of {@code runtime}. */
  public static Rpc on(MoireRuntime runtime) {
    return new Rpc(Checks.notNull(runtime, "runtime"));
  }

  /** Returns the RPC handles of the global runtime. */
  public static Rpc global() {
    return new Rpc(MoireRuntime.global());
  }

  /**
   * Records an outgoing request, from the current task.
   *
   * @throws IllegalArgumentException if {@code method} is blank
   */
  public Request request(String method) {
    Checks.notBlank(method, "method");
    EntityHandle<EntityBody.Request> h =
        runtime.createEntity(method, new EntityBody.Request(method));
    runtime.currentTask().ifPresent(t -> h.linkFrom(t, EdgeKind.POLLS));
    return new Request(h);
  }

  /**
   * Records the handling of a request, here: the response's source is the caller.
   *
   * @throws IllegalArgumentException if {@code method} is blank
   */
  public Response respond(EntityId request, String method) {
    Checks.notNull(request, "request");
    Checks.notBlank(method, "method");
    EntityHandle<EntityBody.Response> h =
        runtime.createEntity(method, new EntityBody.Response(method, ResponseStatus.PENDING));
    h.linkFrom(request, EdgeKind.PAIRED_WITH);
    runtime.currentTask().ifPresent(t -> h.linkFrom(t, EdgeKind.POLLS));
    return new Response(h);
  }

  /** An outgoing request; closing it removes it from the graph. */
  public static final class Request implements AutoCloseable {
    private final EntityHandle<EntityBody.Request> handle;

    Request(EntityHandle<EntityBody.Request> handle) {
      this.handle = handle;
    }

    /** Returns the request's entity id, which the handler passes to {@link Rpc#respond}. */
    public EntityId id() {
      return handle.id();
    }

    /**
     * Removes the request from the graph.
     *
     * @throws IllegalStateException if closed already
     */
    @Override
    public void close() {
      handle.close();
    }
  }

  /** The handling of a request; closing it removes it from the graph. */
  public static final class Response implements AutoCloseable {
    private final EntityHandle<EntityBody.Response> handle;

    Response(EntityHandle<EntityBody.Response> handle) {
      this.handle = handle;
    }

    /** Returns the response's entity id. */
    public EntityId id() {
      return handle.id();
    }

    /** Returns the current status. */
    public ResponseStatus status() {
      return handle.body().status();
    }

    /** Marks the request handled successfully. */
    public void ok() {
      setStatus(ResponseStatus.OK);
    }

    /** Marks the request failed. */
    public void error() {
      setStatus(ResponseStatus.ERROR);
    }

    /** Marks the request abandoned. */
    public void cancel() {
      setStatus(ResponseStatus.CANCELLED);
    }

    private void setStatus(ResponseStatus status) {
      ResponseStatus before = handle.body().status();
      if (handle.mutate(b -> new EntityBody.Response(b.method(), status))) {
        handle.recordEvent(new EventBody.StateChanged(before.wireName(), status.wireName()));
      }
    }

    /**
     * Removes the response from the graph.
     *
     * @throws IllegalStateException if closed already
     */
    @Override
    public void close() {
      handle.close();
    }
  }
}
