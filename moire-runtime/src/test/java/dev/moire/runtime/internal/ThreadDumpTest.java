package dev.moire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moire.runtime.internal.JvmThread.Held;
import dev.moire.runtime.internal.JvmThread.JvmObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the JSON thread dump of JDK 21+ (shapes copied from what JDK 21 and 25 write). */
final class ThreadDumpTest {
  /** A dump as JDK 25.0.3 writes it: two virtual threads in a monitor cycle, one parked. */
  private static final String JDK25 =
      """
      {"threadDump": {"processId": "42", "time": "2026-11-30T22:37:30Z", "runtimeVersion": "25.0.3",
       "threadContainers": [
        {"container": "<root>", "parent": null, "owner": null, "threads": [
         {"tid": "23", "time": "2026-11-30T22:37:30Z", "virtual": true, "name": "v1",
          "state": "WAITING",
          "parkBlocker": {"object": "java.util.concurrent.locks.ReentrantLock$NonfairSync@33d512c1"},
          "stack": ["java.base/java.lang.VirtualThread.park(VirtualThread.java:742)",
                    "java.base/java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:323)",
                    "Dump.lambda$main$0(Dump.java:10)",
                    "java.base/java.lang.VirtualThread.run(VirtualThread.java:460)"]},
         {"tid": "27", "virtual": true, "name": "m1", "state": "BLOCKED",
          "blockedOn": "java.lang.Object@639c2c1d",
          "stack": ["Dump.lambda$main$2(Dump.java:12)",
                    "java.base/java.lang.VirtualThread.run(VirtualThread.java:460)"],
          "monitorsOwned": [{"depth": 0, "locks": ["java.lang.Object@5fe94a96"]}]},
         {"tid": "29", "name": "plat \\"quoted\\" \\u00e9", "state": "WAITING",
          "waitingOn": "java.lang.Thread@1a2b3c4d",
          "stack": ["java.base/java.lang.Object.wait0(Native Method)",
                    "app//com.acme.Main.run(Unknown Source)"]}
        ]},
        {"container": "ForkJoinPool-1/jdk.internal.vm.SharedThreadContainer@6771beb3",
         "parent": "<root>", "owner": null, "threads": []}
       ]}}
      """;

  @Test
  void aJdk25Dump_givesStatesBlockersOwnedMonitorsAndFrames() {
    List<JvmThread> threads = ThreadDump.parse(JDK25);
    assertThat(threads).extracting(JvmThread::id).containsExactly(23L, 27L, 29L);

    JvmThread parked = threads.get(0);
    assertThat(parked.virtual()).isTrue();
    assertThat(parked.state()).isEqualTo(Thread.State.WAITING);
    assertThat(parked.waitsOn())
        .contains(
            new JvmObject("java.util.concurrent.locks.ReentrantLock$NonfairSync", 0x33d512c1));
    assertThat(parked.entering()).isFalse();
    assertThat(parked.owner()).isEmpty(); // JDK 25.0.3 names no owner of a park blocker
    assertThat(parked.userFrame())
        .hasValueSatisfying(f -> assertThat(f.location()).isEqualTo("Dump.java:10"));

    JvmThread blocked = threads.get(1);
    assertThat(blocked.state()).isEqualTo(Thread.State.BLOCKED);
    assertThat(blocked.entering()).isTrue();
    assertThat(blocked.waitsOn()).contains(new JvmObject("java.lang.Object", 0x639c2c1d));
    assertThat(blocked.monitors())
        .containsExactly(new Held(new JvmObject("java.lang.Object", 0x5fe94a96), 0));

    JvmThread platform = threads.get(2);
    assertThat(platform.virtual()).isFalse();
    assertThat(platform.name()).isEqualTo("plat \"quoted\" é");
    assertThat(platform.waitsOn()).contains(new JvmObject("java.lang.Thread", 0x1a2b3c4d));
    assertThat(platform.stack().get(0).isNativeMethod()).isTrue();
    assertThat(platform.stack().get(1).getClassName()).isEqualTo("com.acme.Main");
    assertThat(platform.stack().get(1).getFileName()).isNull();
  }

  @Test
  void aJdk21Dump_withoutStates_isReadFromTheStack() {
    String jdk21 =
        """
        {"threadDump": {"threadContainers": [{"container": "<root>", "threads": [
          {"tid": 31, "name": "", "stack": [
             "java.base/java.lang.VirtualThread.parkNanos(VirtualThread.java:631)",
             "java.base/java.lang.Thread.sleep(Thread.java:557)"]},
          {"tid": 32, "name": "parked", "stack": [
             "java.base/java.lang.VirtualThread.park(VirtualThread.java:582)",
             "com.acme.Work.await(Work.java:9)"]},
          {"tid": 33, "name": "running", "stack": ["com.acme.Work.spin(Work.java:3)"]}
        ]}]}}
        """;
    List<JvmThread> threads = ThreadDump.parse(jdk21);
    assertThat(threads)
        .extracting(JvmThread::state)
        .containsExactly(Thread.State.TIMED_WAITING, Thread.State.WAITING, Thread.State.RUNNABLE);
    assertThat(threads.get(0).displayName()).isEqualTo("thread-31");
    assertThat(threads.get(1).waitsOn()).isEmpty();
  }

  @Test
  void aFutureOwnerField_isRead() {
    String withOwner =
        JDK25.replace(
            "\"parkBlocker\": {\"object\": \"java.util.concurrent.locks.ReentrantLock$NonfairSync@33d512c1\"}",
            "\"parkBlocker\": {\"object\": \"java.util.concurrent.locks.ReentrantLock$NonfairSync@33d512c1\", \"owner\": \"27\"}");
    assertThat(ThreadDump.parse(withOwner).get(0).owner()).hasValue(27L);
  }

  @Test
  void aMalformedDump_isRefused() {
    assertThatThrownBy(() -> ThreadDump.parse("{\"threadDump\": {\"threadContainers\": ["))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void frames_asStackTraceElementWritesThem() {
    assertThat(ThreadDump.frame("com.foo.loader/foo@9.0/com.foo.Main.run(Main.java:101)"))
        .isEqualTo(new StackTraceElement("com.foo.Main", "run", "Main.java", 101));
    assertThat(ThreadDump.frame("Dump.lambda$main$0(Dump.java:10)"))
        .isEqualTo(new StackTraceElement("Dump", "lambda$main$0", "Dump.java", 10));
    assertThat(
            ThreadDump.frame("java.base/jdk.internal.misc.Unsafe.park(Native Method)")
                .isNativeMethod())
        .isTrue();
  }

  @Test
  void onThisJdk_aDumpIsTakenFromJdk21_andNeverOnJdk17() {
    assertThat(ThreadDump.available()).isEqualTo(Runtime.version().feature() >= 21);
    assertThat(ThreadDump.take().isPresent()).isEqualTo(ThreadDump.available());
    ThreadDump.take()
        .ifPresent(
            all ->
                assertThat(all)
                    .extracting(JvmThread::id)
                    .contains(ThreadFacts.threadId(Thread.currentThread())));
  }
}
