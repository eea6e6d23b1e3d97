package dev.moire.benchmarks;

import dev.moire.benchmarks.app.OrderDesk;
import dev.moire.runtime.MoireRuntime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An application workload in plain JDK code ({@link OrderDesk}) as moire-agent sees it: {@code
 * BenchmarkTable --agent} runs this benchmark three times, in JVMs without the agent, with the
 * agent and {@code -Dmoire.enabled=false}, and with the agent tracking (its option {@code
 * packages=dev.moire.benchmarks.app} takes the workload in from this jar). Someone observes the
 * global runtime every 10 ms, as the watchdog does in a test. The thread count is JMH's {@code -t}:
 * the threads share one desk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AgentBench {
  private static final AtomicInteger NEXT = new AtomicInteger();

  /** The desk, and the observer. */
  @State(Scope.Benchmark)
  public static class Desk {
    OrderDesk desk;
    ScheduledExecutorService observer;

    /** How often the runtime is observed, in ms, as the watchdog does (0: never). */
    @Param({"10"})
    public int observeEveryMs;

    @Setup(Level.Trial)
    public void open() {
      desk = new OrderDesk();
      observer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "observer");
                t.setDaemon(true);
                return t;
              });
      if (observeEveryMs > 0) {
        observer.scheduleAtFixedRate(
            () -> MoireRuntime.global().snapshot(),
            observeEveryMs,
            observeEveryMs,
            TimeUnit.MILLISECONDS);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
      observer.shutdownNow();
      desk.close();
    }
  }

  /** Orders per millisecond, in batches of eight with one executor round trip each. */
  @Benchmark
  public int orders(Desk d) throws Exception {
    return d.desk.batch(NEXT.getAndAdd(OrderDesk.ORDERS_PER_BATCH));
  }
}
