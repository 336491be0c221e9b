package dev.thaw.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets environment variables in this process's native environment, where native libraries read
 * them (Java's own {@link System#getenv()} cannot be changed and does not see these).
 *
 * <p>It must run before the library that reads the variable is loaded: OpenMP, for example, reads
 * {@code OMP_WAIT_POLICY} once when libtorch first starts its thread pool.
 */
public final class NativeEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(NativeEnvironment.class);

    private interface PosixC extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    private interface WindowsC extends Library {
        int _putenv_s(String name, String value);

        String getenv(String name);
    }

    private NativeEnvironment() {
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * Sets {@code name=value} unless the user already set it, so an explicit choice in the shell
     * wins. Returns the value now in effect, or {@code null} if the native call was not possible.
     */
    public static String setIfAbsent(String name, String value) {
        try {
            if (isWindows()) {
                WindowsC c = Native.load("msvcrt", WindowsC.class);
                String current = c.getenv(name);
                if (current == null || current.isEmpty()) {
                    c._putenv_s(name, value);
                }
                return c.getenv(name);
            }
            PosixC c = Native.load("c", PosixC.class);
            c.setenv(name, value, 0);
            return c.getenv(name);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("Could not set {} in the native environment ({}); set it in the shell instead", name, e.toString());
            return null;
        }
    }

    /** The variable as native code sees it, or {@code null}. */
    public static String get(String name) {
        try {
            return isWindows() ? Native.load("msvcrt", WindowsC.class).getenv(name) : Native.load("c", PosixC.class).getenv(name);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.getenv(name);
        }
    }
}
