package dev.moire.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.agent.fixture.Warehouse;
import dev.moire.runtime.channel.TrackedArrayBlockingQueue;
import dev.moire.runtime.channel.TrackedLinkedBlockingDeque;
import dev.moire.runtime.channel.TrackedLinkedBlockingQueue;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedCyclicBarrier;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedReadWriteLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import dev.moire.runtime.task.TrackedCompletableFuture;
import dev.moire.runtime.task.TrackedScheduledThreadPoolExecutor;
import dev.moire.runtime.task.TrackedThreadPoolExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rewriter on a real class file ({@link Warehouse}, plain JDK code): the rewritten class is
 * defined in a loader of its own and run, so each check is of what the rewritten code does.
 */
@Timeout(30)
class ClassRewriterTest {
  private static Class<?> rewritten;
  private static Object warehouse;

  @BeforeAll
  static void rewriteTheWarehouse() throws Exception {
    rewritten = new RewritingLoader().loadClass(Warehouse.class.getName());
    warehouse = rewritten.getConstructor().newInstance();
  }

  private static Object call(String method) throws Exception {
    try {
      java.lang.reflect.Method m = rewritten.getMethod(method);
      return m.invoke(java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : warehouse);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void fieldAllocations_becomeDropIns_namedAfterTheField() throws Exception {
    assertThat(call("shelves")).isInstanceOf(TrackedLock.class);
    assertThat(((TrackedLock) call("shelves")).id().toString()).endsWith(":Warehouse.shelves");
    TrackedSemaphore docks = (TrackedSemaphore) call("docks");
    assertThat(docks.isFair()).isTrue();
    assertThat(docks.availablePermits()).isEqualTo(2);
    assertThat(docks.id().toString()).endsWith(":Warehouse.DOCKS");
    TrackedReadWriteLock catalogue = (TrackedReadWriteLock) call("catalogue");
    assertThat(catalogue.isFair()).isTrue();
    assertThat(catalogue.id().toString()).endsWith(":Warehouse.catalogue");
  }

  @Test
  void localAllocations_areNamedAfterTheVariable() throws Exception {
    TrackedCountDownLatch loaded = (TrackedCountDownLatch) call("latch");
    assertThat(loaded.getCount()).isEqualTo(3);
    assertThat(loaded.id().toString()).endsWith(":loaded");
    TrackedCompletableFuture<?> price = (TrackedCompletableFuture<?>) call("future");
    assertThat(price.id().toString()).contains(":price:");
  }

  @Test
  void aDropInsSource_isItsAllocationSite_withoutAStackWalk() throws Exception {
    TrackedCountDownLatch loaded = (TrackedCountDownLatch) call("latch");
    dev.moire.model.Entity entity =
        dev.moire.runtime.MoireRuntime.global().snapshot().entities().stream()
            .filter(e -> e.id().equals(loaded.id()))
            .findFirst()
            .orElseThrow();
    assertThat(entity.source().file()).isEqualTo("Warehouse.java");
    assertThat(entity.source().method()).isEqualTo("latch");
    assertThat(entity.source().className()).isEqualTo(Warehouse.class.getName());
    assertThat(entity.source().line()).isPositive();
  }

  @Test
  void anAllocationStoredNowhere_isNamedAfterItsLine() throws Exception {
    TrackedCyclicBarrier barrier = (TrackedCyclicBarrier) ((List<?>) call("unnamed")).get(0);
    assertThat(barrier.getParties()).isEqualTo(2);
    assertThat(barrier.id().toString()).matches(".*:Warehouse\\.java:\\d+");
  }

  @Test
  void queues_keepTheirCapacityAndContents() throws Exception {
    List<?> queues = (List<?>) call("queues");
    TrackedArrayBlockingQueue<?> inbound = (TrackedArrayBlockingQueue<?>) queues.get(0);
    assertThat(List.<Object>copyOf(inbound)).containsExactly("a");
    assertThat(inbound.remainingCapacity()).isEqualTo(3);
    assertThat(((TrackedLinkedBlockingQueue<?>) queues.get(1)).remainingCapacity()).isEqualTo(8);
    assertThat(queues.get(2)).isInstanceOf(TrackedLinkedBlockingDeque.class);
  }

  @Test
  void nestedAllocations_eachTakeTheirOwnName() throws Exception {
    TrackedSemaphore outer = (TrackedSemaphore) call("nested");
    assertThat(outer.availablePermits()).isEqualTo(3);
    assertThat(outer.id().toString()).endsWith(":outer");
  }

  @Test
  void aConstructorReference_makesTheDropIn() throws Exception {
    assertThat(call("viaReference")).isInstanceOf(TrackedLock.class);
  }

  @Test
  void aUsersSubclass_staysTheUsers() throws Exception {
    Object lock = call("subclass");
    assertThat(lock.getClass().getSimpleName()).isEqualTo("AuditedLock");
    assertThat(lock.getClass().getSuperclass()).isEqualTo(ReentrantLock.class);
  }

  @Test
  void executorFactories_returnTrackedPools_configuredAsTheJdksAre() throws Exception {
    List<?> out = (List<?>) call("executors");
    assertThat(out.get(0)).isEqualTo("ok");
    TrackedThreadPoolExecutor fixed = (TrackedThreadPoolExecutor) out.get(1);
    assertThat(fixed.name()).isEqualTo("fixed");
    assertThat(fixed.getMaximumPoolSize()).isEqualTo(2);
    assertThat(fixed.getKeepAliveTime(TimeUnit.MILLISECONDS)).isZero();
    assertThat(out.get(2)).isInstanceOf(TrackedScheduledThreadPoolExecutor.class);
    assertThat(((TrackedScheduledThreadPoolExecutor) out.get(2)).name()).isEqualTo("timer");
    assertThat(((TrackedThreadPoolExecutor) out.get(3)).name()).isEqualTo("direct");
    assertThat(((TrackedScheduledThreadPoolExecutor) out.get(4)).name()).isEqualTo("ticks");
    assertThat(out.get(5)).isEqualTo(2);
  }

  @Test
  void asyncFactories_returnTrackedFutures_failingAsTheJdksDo() throws Exception {
    List<?> out = (List<?>) call("async");
    assertThat(out.get(0)).isInstanceOf(TrackedCompletableFuture.class);
    assertThat(((TrackedCompletableFuture<?>) out.get(0)).id().toString()).contains(":quote:");
    assertThat(out.get(1)).isEqualTo("42");
    // The JDK hands dependents a CompletionException around the supplier's failure.
    assertThat(out.get(2)).isInstanceOf(CompletionException.class);
    assertThat(((Throwable) out.get(2)).getCause()).hasMessage("boom");
  }

  @Test
  void countDownsAndCompletions_keepTheirLine_andTheJdksResults() throws Exception {
    List<?> out = (List<?>) call("operations");
    TrackedCountDownLatch loading = (TrackedCountDownLatch) out.get(0);
    assertThat(loading.getCount()).isEqualTo(1);
    java.util.concurrent.CountDownLatch gate = (java.util.concurrent.CountDownLatch) out.get(1);
    assertThat(gate).isNotInstanceOf(TrackedCountDownLatch.class);
    assertThat(gate.getCount()).isEqualTo(1);
    // The rewritten class's Gate is its own loader's: read its counter reflectively.
    assertThat(out.get(1).getClass().getField("countDowns").getInt(out.get(1))).isEqualTo(1);
    assertThat(List.<Object>copyOf(out.subList(2, 6))).containsExactly(true, false, true, "a");
    assertThat((java.util.concurrent.CompletableFuture<?>) out.get(6)).isCompletedExceptionally();

    dev.moire.runtime.MoireRuntime runtime = dev.moire.runtime.MoireRuntime.global();
    dev.moire.model.EntityBody.Latch body =
        (dev.moire.model.EntityBody.Latch)
            runtime.snapshot().entities().stream()
                .filter(e -> e.id().equals(loading.id()))
                .findFirst()
                .orElseThrow()
                .body();
    assertThat(body.count()).isEqualTo(1);
    assertThat(body.countedDown()).hasSize(1);
    assertThat(body.countedDown().get(0).at().location())
        .isEqualTo("Warehouse.java:" + lineOf("// count-down-line"));
    assertThat(body.countedDown().get(0).threads())
        .containsExactly(Thread.currentThread().getName());

    // The first future's line names where futures made there are completed, and by whom.
    dev.moire.model.Source made =
        new dev.moire.model.Source(
            "Warehouse.java",
            lineOf("// complete-line") - 1,
            Warehouse.class.getName(),
            "operations");
    List<dev.moire.model.OperationSite> completed = runtime.completionsOfFuturesMadeAt(made);
    assertThat(completed).hasSize(1);
    assertThat(completed.get(0).at().location())
        .isEqualTo("Warehouse.java:" + lineOf("// complete-line"));
    assertThat(completed.get(0).threads()).containsExactly(Thread.currentThread().getName());
  }

  /** The line of the fixture's source that carries {@code marker}. */
  private static int lineOf(String marker) throws IOException {
    List<String> lines =
        java.nio.file.Files.readAllLines(
            java.nio.file.Path.of("src/test/java/dev/moire/agent/fixture/Warehouse.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + marker);
  }

  @Test
  void aStartedThread_andANotifiedMonitor_tellTheirLines_toTheThreadTable() throws Exception {
    Thread reader = (Thread) call("lostWakeup");
    try {
      org.awaitility.Awaitility.await().until(() -> reader.getState() == Thread.State.WAITING);
      dev.moire.model.ThreadSnapshot row =
          dev.moire.runtime.MoireRuntime.global().snapshot(List.of(reader)).threads().stream()
              .filter(t -> t.name().equals("reader"))
              .findFirst()
              .orElseThrow();
      assertThat(row.startedAt().orElseThrow().location())
          .isEqualTo("Warehouse.java:" + lineOf("// start-line"));
      assertThat(row.notifiedAt()).hasSize(1);
      assertThat(row.notifiedAt().get(0).at().location())
          .isEqualTo("Warehouse.java:" + lineOf("// notify-line"));
      assertThat(row.notifiedAt().get(0).threads())
          .containsExactly(Thread.currentThread().getName());
    } finally {
      reader.interrupt();
      reader.join();
    }
  }

  @Test
  void aNotify_withoutTheMonitor_failsAsTheJdksDoes_andOnItsOwnObjectWorks() throws Exception {
    assertThatThrownBy(() -> call("notifyUnowned"))
        .isInstanceOf(IllegalMonitorStateException.class);
    assertThat(call("notifySelf")).isSameAs(warehouse);
  }

  @Test
  void aSubmittedTask_isNamedAfterTheSubmitsLine_andTheLineIsForgottenAfterTheCall()
      throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ExecutorService loaders =
        (ExecutorService)
            rewritten
                .getMethod("submitWaiting", java.util.concurrent.CountDownLatch.class)
                .invoke(warehouse, release);
    try {
      assertThat(
              dev.moire.runtime.internal.OperationSites.take(
                  dev.moire.runtime.internal.OperationSites.SUBMIT))
          .isNull();
      List<dev.moire.model.Entity> tasks =
          dev.moire.runtime.MoireRuntime.global().snapshot().entities().stream()
              .filter(e -> e.kind() == dev.moire.model.EntityKind.FUTURE)
              .filter(e -> e.source().file().equals("Warehouse.java"))
              .toList();
      assertThat(tasks)
          .extracting(e -> e.source().location())
          .contains("Warehouse.java:" + lineOf("// submit-line"));
    } finally {
      release.countDown();
      loaders.shutdown();
      assertThat(loaders.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aCountDownOfNoLatch_failsAsTheJdksCallDoes() {
    assertThatThrownBy(() -> call("nullLatch")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aClassWithNothingToRewrite_isLeftAsItWas() throws IOException {
    assertThat(ClassRewriter.rewrite(bytes(AgentOptions.class.getName()))).isNull();
    assertThat(ClassRewriter.rewrite(bytes(Rewrites.class.getName()))).isNull();
  }

  @Test
  void theSingleThreadExecutor_cannotBeReconfigured_asTheJdksCannot() {
    ExecutorService single = dev.moire.runtime.agent.AgentBridges.newSingleThreadExecutor("single");
    try {
      assertThat(single).isNotInstanceOf(ThreadPoolExecutor.class);
    } finally {
      single.shutdown();
    }
  }

  static byte[] bytes(String className) throws IOException {
    try (InputStream in =
        ClassRewriterTest.class
            .getClassLoader()
            .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the fixture's classes rewritten; everything else comes from the test's loader. */
  private static final class RewritingLoader extends ClassLoader {
    RewritingLoader() {
      super(ClassRewriterTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(Warehouse.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try {
            byte[] original = bytes(name);
            byte[] out = ClassRewriter.rewrite(original);
            byte[] b = out == null ? original : out;
            c = defineClass(name, b, 0, b.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }
}
