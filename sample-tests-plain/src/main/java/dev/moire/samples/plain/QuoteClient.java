package dev.moire.samples.plain;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client that parks the future of each quote request in a pending map until its response comes.
 * The bug: a request whose response never comes leaves its future in the map, never completed.
 */
public final class QuoteClient {
  private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

  /** Sends a request; the future completes when its response comes. */
  public CompletableFuture<String> request(int id) {
    CompletableFuture<String> reply = new CompletableFuture<>();
    pending.put(id, reply);
    return reply;
  }

  /** A response arrived. */
  public void onResponse(int id, String body) {
    CompletableFuture<String> reply = pending.remove(id);
    if (reply != null) {
      reply.complete(body);
    }
  }
}
