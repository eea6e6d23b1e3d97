package dev.moire.benchmarks.app;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An application's order desk in plain JDK code, with no moire import: the workload of {@code
 * AgentBench}, which runs it without moire-agent, with the agent and tracking disabled, and with
 * the agent tracking it. Each order takes a permit, updates the stock under a lock, hands the order
 * to a bounded outbox and takes it back, prices it through a future and counts it on a latch; every
 * {@value #ORDERS_PER_BATCH} orders, a batch is priced on a two-thread executor.
 */
public final class OrderDesk implements AutoCloseable {
  /** How many orders a batch holds: one executor round trip per batch. */
  public static final int ORDERS_PER_BATCH = 8;

  private final ReentrantLock book = new ReentrantLock();
  private final Semaphore tills = new Semaphore(4);
  private final BlockingQueue<Integer> outbox = new ArrayBlockingQueue<>(1024);
  private final ExecutorService pricing = Executors.newFixedThreadPool(2);
  private final Map<Integer, Integer> stock = new HashMap<>();

  /** One order of {@code item}; returns its price. */
  public int order(int item) throws InterruptedException {
    tills.acquire();
    try {
      book.lock();
      try {
        stock.merge(item & 63, 1, Integer::sum);
      } finally {
        book.unlock();
      }
      outbox.offer(item);
      Integer sent = outbox.poll();
      CompletableFuture<Integer> price = new CompletableFuture<>();
      price.complete(sent * 3);
      CountDownLatch counted = new CountDownLatch(1);
      counted.countDown();
      counted.await();
      return price.join();
    } finally {
      tills.release();
    }
  }

  /** A batch: {@value #ORDERS_PER_BATCH} orders, then the batch priced on the executor. */
  public int batch(int first) throws Exception {
    int sum = 0;
    for (int i = 0; i < ORDERS_PER_BATCH; i++) {
      sum += order(first + i);
    }
    int total = sum;
    return pricing.submit(() -> total / ORDERS_PER_BATCH).get();
  }

  @Override
  public void close() throws InterruptedException {
    pricing.shutdown();
    pricing.awaitTermination(10, TimeUnit.SECONDS);
  }
}
