package dev.moire.agent;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Decides which classes the agent rewrites, and never lets a rewrite fail a class's loading.
 *
 * <p>Rewritten: application and test classes, that is classes loaded from a class directory ({@code
 * target/classes}, {@code target/test-classes}, {@code build/classes/...}), plus classes of the
 * packages named in the agent's {@code packages=} option wherever they come from (a sibling
 * module's jar). Never: the JDK ({@code java.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*},
 * the bootstrap and platform loaders), JUnit, the build tools, Byte Buddy, JaCoCo, or moire's own
 * library, whose classes call the drop-ins already: nothing from a jar or directory carrying
 * moire's marker resource, except the named packages of an application shaded together with moire
 * (and never moire's packages); and no class already loaded (no retransformation). A class whose
 * loader cannot see moire's runtime is left alone, as is every class when anything goes wrong: the
 * failure is printed once and the class loads unchanged.
 */
final class AgentTransformer implements ClassFileTransformer {
  /** The marker every moire library jar and class directory carries. */
  static final String LIBRARY_MARKER = "META-INF/dev.moire.library";

  private static final List<String> NEVER =
      List.of(
          "java/",
          "javax/",
          "jdk/",
          "sun/",
          "com/sun/",
          "org/junit/",
          "junit/",
          "org/opentest4j/",
          "org/apiguardian/",
          "org/apache/maven/",
          "org/codehaus/plexus/",
          "org/gradle/",
          "worker/org/gradle/",
          "org/jacoco/",
          "net/bytebuddy/",
          "dev/moire/agent/");

  private final AgentOptions options;
  private final @Nullable Instrumentation instrumentation;
  private final ThreadLocal<Boolean> busy = ThreadLocal.withInitial(() -> false);
  private final Map<String, Boolean> libraryLocations = new ConcurrentHashMap<>();
  private final Map<ClassLoader, Boolean> seesRuntime =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  AgentTransformer(AgentOptions options, @Nullable Instrumentation instrumentation) {
    this.options = options;
    this.instrumentation = instrumentation;
  }

  @Override
  public byte @Nullable [] transform(
      Module module,
      @Nullable ClassLoader loader,
      @Nullable String className,
      @Nullable Class<?> classBeingRedefined,
      @Nullable ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (loader == null
        || className == null
        || classBeingRedefined != null
        || loader == ClassLoader.getPlatformClassLoader()
        || busy.get()) {
      return null;
    }
    busy.set(true);
    try {
      if (!wanted(className, protectionDomain) || !seesRuntime(loader)) {
        return null;
      }
      byte[] out = ClassRewriter.rewrite(classfileBuffer);
      if (out == null) {
        return null;
      }
      if (module.isNamed()) {
        readRuntime(module, loader);
      }
      if (options.verbose()) {
        System.err.println("moire-agent: rewrote " + className.replace('/', '.'));
      }
      return out;
    } catch (Throwable t) {
      // Never fail a class's loading: it loads as it was, and moire still sees it through the JVM.
      if (warned.add(className)) {
        System.err.println("moire-agent: left " + className.replace('/', '.') + " unchanged: " + t);
      }
      return null;
    } finally {
      busy.set(false);
    }
  }

  @Override
  public byte @Nullable [] transform(
      @Nullable ClassLoader loader,
      @Nullable String className,
      @Nullable Class<?> classBeingRedefined,
      @Nullable ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    return transform(
        ClassLoader.getSystemClassLoader().getUnnamedModule(),
        loader,
        className,
        classBeingRedefined,
        protectionDomain,
        classfileBuffer);
  }

  /** Whether a class is the application's or its tests' (see the class comment). */
  boolean wanted(String className, @Nullable ProtectionDomain domain) {
    for (String prefix : NEVER) {
      if (className.startsWith(prefix)) {
        return false;
      }
    }
    URL location = location(domain);
    if (location == null) {
      return false;
    }
    if (isLibrary(location)) {
      // A jar with moire's library in it: only the packages the user named (an application
      // shaded together with moire), and never moire's own.
      return options.includes(className) && !isLibraryPackage(className);
    }
    return isDirectory(location) || options.includes(className);
  }

  /** moire's library packages: never rewritten, wherever they come from. */
  private static final List<String> LIBRARY_PACKAGES =
      List.of(
          "dev/moire/runtime/",
          "dev/moire/model/",
          "dev/moire/junit/",
          "dev/moire/report/",
          "dev/moire/agent/");

  private static boolean isLibraryPackage(String className) {
    for (String p : LIBRARY_PACKAGES) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable URL location(@Nullable ProtectionDomain domain) {
    CodeSource source = domain == null ? null : domain.getCodeSource();
    return source == null ? null : source.getLocation();
  }

  private static boolean isDirectory(URL location) {
    return location.getProtocol().equals("file") && location.getPath().endsWith("/");
  }

  private boolean isLibrary(URL location) {
    return libraryLocations.computeIfAbsent(location.toString(), k -> carriesMarker(location));
  }

  private static boolean carriesMarker(URL location) {
    if (!location.getProtocol().equals("file")) {
      return false;
    }
    try {
      Path path = Path.of(location.toURI());
      if (Files.isDirectory(path)) {
        return Files.exists(path.resolve(LIBRARY_MARKER));
      }
      try (JarFile jar = new JarFile(new File(path.toString()))) {
        return jar.getEntry(LIBRARY_MARKER) != null;
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether code loaded by {@code loader} can call moire's runtime (else the rewrite would fail).
   */
  private boolean seesRuntime(ClassLoader loader) {
    return seesRuntime.computeIfAbsent(
        loader, l -> l.getResource(Rewrites.BRIDGES + ".class") != null);
  }

  /**
   * A class in a named module reads only what its module declares: the rewritten code calls moire's
   * runtime, so its module is made to read the runtime's (the agent may, through {@link
   * Instrumentation#redefineModule}).
   */
  private void readRuntime(Module module, ClassLoader loader) throws ClassNotFoundException {
    Module runtime = Class.forName(Rewrites.BRIDGES.replace('/', '.'), false, loader).getModule();
    if (instrumentation != null && !module.canRead(runtime)) {
      instrumentation.redefineModule(
          module, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }
}
