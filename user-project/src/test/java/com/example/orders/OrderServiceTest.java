package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.moire.junit.MoireTracked;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Correct tests of an order service that waits on work moire cannot see: with {@code @MoireTracked}
 * at its defaults, every one passes.
 */
@MoireTracked
@Timeout(30)
class OrderServiceTest {
  static ExecutorService pool;
  static HttpServer pricing;

  @BeforeAll
  static void start() throws Exception {
    pool = Executors.newFixedThreadPool(2);
    pricing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pricing.createContext(
        "/price",
        exchange -> {
          slow(300);
          byte[] body = "12.50".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    pricing.start();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    pricing.stop(0);
  }

  static void slow(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void exportsThroughAChildProcess() throws Exception {
    assertEquals(0, new ProcessBuilder("sleep", "1").start().waitFor());
  }

  @Test
  void asksTheSlowPricingServiceTwice() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + pricing.getAddress().getPort() + "/price");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("12.50", r.body());
    }
  }

  @Test
  void loadsStockOnThePoolFromBeforeAll() throws Exception {
    Future<Integer> stock =
        pool.submit(
            () -> {
              slow(300); // a slow database call
              return 7;
            });
    assertEquals(7, stock.get());
  }

  @Test
  void quotesOnTheCommonPool() {
    String quote =
        CompletableFuture.supplyAsync(
                () -> {
                  slow(300);
                  return "quote";
                })
            .join();
    assertEquals("quote", quote);
  }

  @Test
  void limitsRequestsInFlight_permitsReleasedByTheWorkers() throws Exception {
    TrackedSemaphore inFlight = new TrackedSemaphore("in-flight", 1);
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.acquire();
      sent.add(
          pool.submit(
              () -> {
                try {
                  slow(100);
                } finally {
                  inFlight.release();
                }
              }));
    }
    for (Future<?> f : sent) {
      f.get();
    }
  }
}
