package dev.moire.runtime.internal;

import dev.moire.runtime.internal.JvmThread.Held;
import dev.moire.runtime.internal.JvmThread.JvmObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The JVM's own thread dump in JSON ({@code HotSpotDiagnosticMXBean.dumpThreads}, JDK 21+): the
 * only in-process view of virtual threads, which the thread bean does not see. Read reflectively,
 * so the same jar runs on JDK 17 (where {@link #take} is empty).
 *
 * <p>What each JDK writes: JDK 21 gives each thread's id, name and stack; from JDK 25 also its
 * {@code state}, {@code parkBlocker}, {@code blockedOn} (a monitor it is entering), {@code
 * waitingOn} ({@code Object.wait}) and {@code monitorsOwned} (with the depth of the frame that took
 * each), so a {@code synchronized} cycle among virtual threads has named owners. A park blocker's
 * {@code owner} (the thread holding a {@code ReentrantLock}) is read when present; JDK 25.0.3 does
 * not write it yet (its source reserves the object form "for exclusiveOwnerThread in the future"),
 * so a {@code ReentrantLock} among virtual threads shows its waiters but not its holder. Without a
 * {@code state} (JDK 21), it is read from the stack: parked with a timeout is {@code
 * TIMED_WAITING}, parked without is {@code WAITING}, anything else counts as able to run.
 *
 * <p>A dump writes every thread of the JVM to a file (tens of milliseconds with thousands of
 * threads): taken for a verdict or for stored evidence, never on every observation.
 */
public final class ThreadDump {
  private static final @Nullable Dumper DUMPER = Dumper.find();

  private ThreadDump() {}

  /** Whether this JDK can dump its threads as JSON (JDK 21+). */
  public static boolean available() {
    return DUMPER != null;
  }

  /** Takes a dump of every thread of the JVM now; empty on JDK 17 or when the JVM refuses. */
  public static Optional<List<JvmThread>> take() {
    if (DUMPER == null) {
      return Optional.empty();
    }
    Path file = null;
    try {
      Path dir = Files.createTempDirectory("moire-threads");
      file = dir.resolve("threads.json"); // the JVM refuses to overwrite a file
      DUMPER.dump(file);
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException | ReflectiveOperationException e) {
      return Optional.empty(); // the dump is evidence to add, never a reason to fail
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
          Files.deleteIfExists(file.getParent());
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /** Reads the JSON form of a dump into its threads, in the order the JVM wrote them. */
  static List<JvmThread> parse(String json) {
    Object root = new Json(json).value();
    List<JvmThread> out = new ArrayList<>();
    Map<?, ?> dump = map(map(root).get("threadDump"));
    for (Object c : list(dump.get("threadContainers"))) {
      for (Object t : list(map(c).get("threads"))) {
        out.add(thread(map(t)));
      }
    }
    return out;
  }

  private static JvmThread thread(Map<?, ?> t) {
    List<StackTraceElement> stack = new ArrayList<>();
    for (Object f : list(t.get("stack"))) {
      stack.add(frame(String.valueOf(f)));
    }
    Optional<JvmObject> waitsOn = Optional.empty();
    boolean entering = false;
    OptionalLong owner = OptionalLong.empty();
    if (t.get("blockedOn") instanceof String s) {
      waitsOn = JvmObject.parse(s);
      entering = waitsOn.isPresent();
    } else if (t.get("parkBlocker") instanceof Map<?, ?> p && p.get("object") instanceof String s) {
      waitsOn = JvmObject.parse(s);
      owner = number(p.get("owner"));
    } else if (t.get("waitingOn") instanceof String s) {
      waitsOn = JvmObject.parse(s);
    }
    List<Held> held = new ArrayList<>();
    for (Object m : list(t.get("monitorsOwned"))) {
      int depth = (int) number(map(m).get("depth")).orElse(-1);
      for (Object l : list(map(m).get("locks"))) {
        if (l instanceof String s) {
          JvmObject.parse(s).ifPresent(o -> held.add(new Held(o, depth)));
        }
      }
    }
    Thread.State state;
    try {
      state = t.get("state") instanceof String s ? Thread.State.valueOf(s) : stateFromStack(stack);
    } catch (IllegalArgumentException e) {
      state = Thread.State.RUNNABLE; // a state this reader does not know: assume it can act
    }
    return new JvmThread(
        number(t.get("tid")).orElse(-1),
        t.get("name") instanceof String s ? s : "",
        Boolean.TRUE.equals(t.get("virtual")),
        state,
        waitsOn,
        entering,
        owner,
        held,
        stack);
  }

  /** A state for a dump without one (JDK 21): parked, parked with a timeout, or able to run. */
  private static Thread.State stateFromStack(List<StackTraceElement> stack) {
    for (StackTraceElement f : stack) {
      String c = f.getClassName();
      String m = f.getMethodName();
      if (c.equals("java.lang.VirtualThread") || c.equals("jdk.internal.misc.Unsafe")) {
        if (m.equals("parkNanos") || m.equals("sleepNanos") || m.equals("timedPark")) {
          return Thread.State.TIMED_WAITING;
        }
        if (m.equals("park")) {
          return Thread.State.WAITING;
        }
      }
    }
    return Thread.State.RUNNABLE;
  }

  /**
   * Parses a stack frame as {@code StackTraceElement.toString()} writes it: {@code
   * [loader/][module[@version]/]class.method(File.java:42)}, {@code (Native Method)} or {@code
   * (Unknown Source)}.
   */
  static StackTraceElement frame(String s) {
    int open = s.lastIndexOf('(');
    String where = open >= 0 && s.endsWith(")") ? s.substring(open + 1, s.length() - 1) : "";
    String qualified = open >= 0 ? s.substring(0, open) : s;
    qualified = qualified.substring(qualified.lastIndexOf('/') + 1);
    int dot = qualified.lastIndexOf('.');
    String cls = dot > 0 ? qualified.substring(0, dot) : qualified;
    String method = dot > 0 ? qualified.substring(dot + 1) : "";
    String file = null;
    int line = -1;
    if (where.equals("Native Method")) {
      line = -2;
    } else if (!where.equals("Unknown Source") && !where.isEmpty()) {
      int colon = where.lastIndexOf(':');
      file = colon > 0 ? where.substring(0, colon) : where;
      if (colon > 0) {
        try {
          line = Integer.parseInt(where.substring(colon + 1));
        } catch (NumberFormatException e) {
          file = where;
        }
      }
    }
    return new StackTraceElement(cls, method, file, line);
  }

  private static Map<?, ?> map(@Nullable Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(@Nullable Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  /** A number, which the JDK writes as a JSON number or (thread ids) a string. */
  private static OptionalLong number(@Nullable Object o) {
    if (o instanceof Number n) {
      return OptionalLong.of(n.longValue());
    }
    if (o instanceof String s) {
      try {
        return OptionalLong.of(Long.parseLong(s));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)}, found reflectively. */
  private record Dumper(Object bean, Method dumpThreads, Object json) {
    static @Nullable Dumper find() {
      try {
        Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Class<?> format =
            Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
        Object bean =
            ManagementFactory.getPlatformMXBean(
                beanType.asSubclass(java.lang.management.PlatformManagedObject.class));
        Method m = beanType.getMethod("dumpThreads", String.class, format);
        Object json = null;
        for (Object c : format.getEnumConstants()) {
          if (((Enum<?>) c).name().equals("JSON")) {
            json = c;
          }
        }
        return bean == null || json == null ? null : new Dumper(bean, m, json);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null; // JDK 17, or a JVM without the HotSpot diagnostic bean
      }
    }

    void dump(Path file) throws ReflectiveOperationException {
      dumpThreads.invoke(bean, file.toAbsolutePath().toString(), json);
    }
  }

  /** Just enough JSON for a thread dump: objects, arrays, strings, numbers, literals. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    @Nullable Object value() {
      skip();
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end of the thread dump");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          i++;
          Map<String, @Nullable Object> m = new LinkedHashMap<>();
          skip();
          if (peek('}')) {
            return m;
          }
          do {
            skip();
            String k = string();
            skip();
            expect(':');
            m.put(k, value());
            skip();
          } while (accept(','));
          expect('}');
          return m;
        }
        case '[' -> {
          i++;
          List<@Nullable Object> l = new ArrayList<>();
          skip();
          if (peek(']')) {
            return l;
          }
          do {
            l.add(value());
            skip();
          } while (accept(','));
          expect(']');
          return l;
        }
        case '"' -> {
          return string();
        }
        default -> {
          int start = i;
          while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          String word = s.substring(start, i);
          return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> {
              try {
                yield Long.parseLong(word);
              } catch (NumberFormatException e) {
                yield Double.parseDouble(word);
              }
            }
          };
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private boolean peek(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private boolean accept(char c) {
      return peek(c);
    }

    private void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw new IllegalArgumentException("malformed thread dump at offset " + i);
      }
      i++;
    }
  }
}
