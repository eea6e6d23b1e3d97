package dev.moire.runtime.internal;

import dev.moire.model.Source;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Finds the user's call site: the first stack frame that is neither moire's own library code nor
 * the JDK's. moire's library jars (and class directories) are recognised by the marker resource
 * {@value #MARKER} that each of them ships, so moire's own tests, which live in the same packages
 * but not in those locations, count as user code.
 *
 * <p>Sources are interned: equal sources share one instance.
 */
public final class SourceCapture {
  /** The resource every moire library module carries. */
  public static final String MARKER = "META-INF/dev.moire.library";

  /** Hidden frames too: a method reference's frame says the call came through one. */
  private static final StackWalker WALKER =
      StackWalker.getInstance(
          Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  /** How far past a method reference the frame that made it is looked for. */
  private static final int REFERENCE_DEPTH = 64;

  private static final Set<String> LIBRARY_LOCATIONS = findLibraryLocations();
  private static final ClassValue<Boolean> SKIPPED =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return isSkipped(type);
        }
      };
  private static final ConcurrentHashMap<Source, Source> INTERNED = new ConcurrentHashMap<>();

  private SourceCapture() {}

  /**
   * The name of a drop-in created with the JDK's constructor arguments: the location of the nearest
   * caller outside moire and the JDK, such as {@code Ledger.java:42}, or {@code "untracked"}
   * without walking the stack when {@code runtime} is disabled (nothing reads it). A name the agent
   * gave the allocation site ({@link AllocationSites}) comes first.
   */
  public static String callerName(dev.moire.runtime.MoireRuntime runtime) {
    String site = AllocationSites.take();
    if (!runtime.isEnabled()) {
      return "untracked";
    }
    return site != null ? site : caller().location();
  }

  /**
   * The source of an entity named {@code name} that a drop-in's constructor is creating: where the
   * agent said the drop-in is allocated ({@link AllocationSites}), or else the nearest caller
   * outside moire and the JDK.
   */
  public static Source creation(String name) {
    Source site = AllocationSites.takeSource(name);
    return site != null ? site : caller();
  }

  /**
   * Returns the source of the nearest caller outside moire and the JDK. A call that reached moire
   * or the JDK through a method reference ({@code quietly(latch::await)}) is placed at the line
   * that made the reference, in the class that made it, not in the helper that invoked it: the
   * reference's own frame (a hidden class named after its maker) says so.
   */
  public static Source caller() {
    return WALKER
        .walk(
            frames ->
                Optional.ofNullable(
                    userFrame(
                        frames.iterator(),
                        StackWalker.StackFrame::getClassName,
                        f -> SKIPPED.get(f.getDeclaringClass()))))
        .map(SourceCapture::toSource)
        .orElse(Source.UNKNOWN);
  }

  /**
   * The first frame that is not {@code skipped}, innermost first; when it is a method reference's
   * (a class named {@code Maker$$Lambda…}), the first frame of the class that made the reference
   * within {@value #REFERENCE_DEPTH} frames, else the first frame past the reference. One walk for
   * the calling thread's frames and another thread's stack trace.
   */
  private static <F> @Nullable F userFrame(
      Iterator<F> frames, Function<F, String> className, Predicate<F> skipped) {
    while (frames.hasNext()) {
      F f = frames.next();
      if (skipped.test(f)) {
        continue;
      }
      String maker = referenceMaker(className.apply(f));
      if (maker == null) {
        return f;
      }
      F next = null;
      for (int i = 0; i < REFERENCE_DEPTH && frames.hasNext(); i++) {
        F g = frames.next();
        String name = className.apply(g);
        if (referenceMaker(name) != null || skipped.test(g)) {
          continue;
        }
        if (name.equals(maker)) {
          return g;
        }
        if (next == null) {
          next = g;
        }
      }
      return next;
    }
    return null;
  }

  /**
   * The class that made a lambda or method reference, for the class of the reference's frame
   * ({@code Maker$$Lambda…}, hidden); else null.
   */
  private static @Nullable String referenceMaker(String className) {
    int at = className.indexOf("$$Lambda");
    return at > 0 ? className.substring(0, at) : null;
  }

  /**
   * Returns the source of the nearest frame of another thread's stack outside moire and the JDK, as
   * {@link #caller()} finds it for the calling thread: for an observer that reads where a thread
   * waits only when it looks (the thread's stack is read then, and is the wait's while it lasts). A
   * method reference's frame, where the stack trace shows it (JDK 17), is resolved as {@link
   * #caller()} resolves it; JDK 21+ hides it from another thread's trace, so a wait that must be
   * placed through one is read on the waiting thread instead ({@link #caller()}).
   */
  public static Source callerIn(Thread thread) {
    ClassLoader loader = thread.getContextClassLoader();
    StackTraceElement f =
        userFrame(
            Arrays.asList(thread.getStackTrace()).iterator(),
            StackTraceElement::getClassName,
            e -> isSkippedName(e.getClassName(), loader));
    return f == null ? Source.UNKNOWN : toSource(f);
  }

  private static Source toSource(StackTraceElement e) {
    return intern(
        new Source(
            e.getFileName() == null ? "Unknown" : e.getFileName(),
            Math.max(-1, e.getLineNumber()),
            e.getClassName(),
            e.getMethodName()));
  }

  /** Whether a class named in a stack trace is the JDK's or moire's library code. */
  private static boolean isSkippedName(String name, @Nullable ClassLoader loader) {
    if (Source.isJdkClass(name)) {
      return true;
    }
    if (!name.startsWith("dev.moire.")) {
      return false;
    }
    return LIBRARY_NAMES.computeIfAbsent(name, n -> isLibraryName(n, loader));
  }

  private static final ConcurrentHashMap<String, Boolean> LIBRARY_NAMES = new ConcurrentHashMap<>();

  private static boolean isLibraryName(String name, @Nullable ClassLoader loader) {
    // A lambda's hidden class cannot be loaded by name: its enclosing class can.
    int hidden = name.indexOf("$$Lambda");
    String loadable = hidden < 0 ? name : name.substring(0, hidden);
    for (ClassLoader l : new ClassLoader[] {loader, SourceCapture.class.getClassLoader()}) {
      try {
        return isLibrary(Class.forName(loadable, false, l));
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    return false;
  }

  /** Returns the top {@code limit} frames of a stack trace as sources, innermost first. */
  public static List<Source> frames(StackTraceElement[] trace, int limit) {
    List<Source> out = new java.util.ArrayList<>(Math.min(limit, trace.length));
    for (int i = 0; i < trace.length && i < limit; i++) {
      out.add(toSource(trace[i]));
    }
    return out;
  }

  /** Returns the shared instance equal to {@code source}. */
  public static Source intern(Source source) {
    Source prior = INTERNED.putIfAbsent(source, source);
    return prior == null ? source : prior;
  }

  /** Returns whether the class is moire library code (not user code, not moire's tests). */
  public static boolean isLibrary(Class<?> type) {
    if (!type.getName().startsWith("dev.moire.")) {
      return false;
    }
    String location = location(type);
    return location == null || LIBRARY_LOCATIONS.contains(location);
  }

  private static Source toSource(StackWalker.StackFrame f) {
    String file = f.getFileName();
    return intern(
        new Source(
            file == null ? "Unknown" : file,
            Math.max(-1, f.getLineNumber()),
            f.getClassName(),
            f.getMethodName()));
  }

  private static boolean isSkipped(Class<?> type) {
    return Source.isJdkClass(type.getName()) || isLibrary(type);
  }

  private static @Nullable String location(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return null;
    }
    return normalise(cs.getLocation().toString());
  }

  private static Set<String> findLibraryLocations() {
    Set<String> out = new HashSet<>();
    ClassLoader loader = SourceCapture.class.getClassLoader();
    try {
      Enumeration<URL> urls =
          loader == null ? ClassLoader.getSystemResources(MARKER) : loader.getResources(MARKER);
      while (urls.hasMoreElements()) {
        String url = urls.nextElement().toString();
        String base = url.substring(0, url.length() - MARKER.length());
        if (base.startsWith("jar:") && base.endsWith("!/")) {
          base = base.substring(4, base.length() - 2);
        }
        out.add(normalise(base));
      }
    } catch (IOException e) {
      // Without the markers every dev.moire class with a location counts as user code; sources
      // then point into moire, which is wrong but harmless.
    }
    String own = location(SourceCapture.class);
    if (own != null) {
      out.add(own);
    }
    return out.stream().collect(Collectors.toUnmodifiableSet());
  }

  private static String normalise(String url) {
    try {
      String s = new URI(url).normalize().toString();
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    } catch (URISyntaxException e) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
  }
}
