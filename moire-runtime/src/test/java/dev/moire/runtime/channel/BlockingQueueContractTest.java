package dev.moire.runtime.channel;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava's collection testers (guava-testlib) run against {@link TrackedBlockingQueue} and the JDK
 * queue subclasses, with the features of the JDK queues it stands in for: the third-party check of
 * the queue contract.
 */
final class BlockingQueueContractTest {
  private static final MoireRuntime RUNTIME = MoireRuntime.create(RuntimeSettings.defaults());

  @TestFactory
  Stream<DynamicTest> boundedQueue_meetsTheQueueContract() {
    return suite(
        "TrackedBlockingQueue[bounded]",
        () -> new TrackedBlockingQueue<>(RUNTIME, "bounded", 100),
        CollectionFeature.GENERAL_PURPOSE);
  }

  @TestFactory
  Stream<DynamicTest> unboundedQueue_meetsTheQueueContract() {
    return suite(
        "TrackedBlockingQueue[unbounded]",
        () -> new TrackedBlockingQueue<>(RUNTIME, "unbounded"),
        CollectionFeature.GENERAL_PURPOSE);
  }

  @TestFactory
  Stream<DynamicTest> arrayBlockingQueueSubclass_meetsTheQueueContract() {
    return suite(
        "TrackedArrayBlockingQueue",
        () -> new TrackedArrayBlockingQueue<>(RUNTIME, "array", 100, false),
        CollectionFeature.GENERAL_PURPOSE,
        CollectionFeature.SERIALIZABLE);
  }

  @TestFactory
  Stream<DynamicTest> linkedBlockingQueueSubclass_meetsTheQueueContract() {
    return suite(
        "TrackedLinkedBlockingQueue",
        () -> new TrackedLinkedBlockingQueue<>(RUNTIME, "linked", Integer.MAX_VALUE),
        CollectionFeature.GENERAL_PURPOSE,
        CollectionFeature.SERIALIZABLE);
  }

  @TestFactory
  Stream<DynamicTest> linkedBlockingDequeSubclass_meetsTheQueueContract() {
    return suite(
        "TrackedLinkedBlockingDeque",
        () -> new TrackedLinkedBlockingDeque<>(RUNTIME, "deque", Integer.MAX_VALUE),
        CollectionFeature.GENERAL_PURPOSE,
        CollectionFeature.SERIALIZABLE);
  }

  @TestFactory
  Stream<DynamicTest> boundedLinkedBlockingDequeSubclass_meetsTheQueueContract() {
    return suite(
        "TrackedLinkedBlockingDeque[bounded]",
        () -> new TrackedLinkedBlockingDeque<>(RUNTIME, "deque", 100),
        CollectionFeature.GENERAL_PURPOSE,
        CollectionFeature.SERIALIZABLE);
  }

  /** guava-testlib's queue suite over fresh queues from {@code make}, filled with the elements. */
  private static Stream<DynamicTest> suite(
      String name, Supplier<Queue<String>> make, CollectionFeature... features) {
    List<Object> all = new ArrayList<>(List.of((Object[]) features));
    all.add(CollectionFeature.KNOWN_ORDER);
    all.add(CollectionSize.ANY);
    return dynamicTests(
        QueueTestSuiteBuilder.using(
                new TestStringQueueGenerator() {
                  @Override
                  protected Queue<String> create(String[] elements) {
                    Queue<String> q = make.get();
                    Collections.addAll(q, elements);
                    return q;
                  }
                })
            .named(name)
            .withFeatures(all.toArray(new com.google.common.collect.testing.features.Feature<?>[0]))
            .createTestSuite());
  }

  /** Flattens a JUnit 3 suite into JUnit 5 dynamic tests, each running one tester method. */
  private static Stream<DynamicTest> dynamicTests(TestSuite suite) {
    List<TestCase> cases = new ArrayList<>();
    collect(suite, cases);
    if (cases.size() < 100) {
      throw new AssertionError("expected the full guava-testlib suite, got " + cases.size());
    }
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getClass().getSimpleName() + "." + c.getName(), () -> c.runBare()));
  }

  private static void collect(Test test, List<TestCase> out) {
    if (test instanceof TestSuite s) {
      for (int i = 0; i < s.testCount(); i++) {
        collect(s.testAt(i), out);
      }
    } else if (test instanceof TestCase c) {
      out.add(c);
    }
  }
}
