package io.qemucompose.driver.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The part of {@code org.freedesktop.systemd1.Manager} we use (see org.freedesktop.systemd1(5)).
 * Method names are the D-Bus member names, hence the capitals.
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {

    String BUS_NAME = "org.freedesktop.systemd1";
    String OBJECT_PATH = "/org/freedesktop/systemd1";

    /** Without it the manager emits no signals to this client. */
    void Subscribe();

    DBusPath StartTransientUnit(String name, String mode, List<PropertyStruct> properties,
            List<AuxUnitStruct> aux);

    DBusPath StopUnit(String name, String mode);

    void KillUnit(String name, String whom, int signal);

    void ResetFailedUnit(String name);

    DBusPath GetUnit(String name);

    List<UnitListingStruct> ListUnitsByPatterns(List<String> states, List<String> patterns);

    /** Emitted when a job finished, whatever its result; may arrive before the call that queued it returns. */
    class JobRemoved extends DBusSignal {
        private final long id;
        private final DBusPath job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id.longValue();
            this.job = job;
            this.unit = unit;
            this.result = result;
        }

        public long id() { return id; }
        public String job() { return job.getPath(); }
        public String unit() { return unit; }
        public String result() { return result; }
    }

    class UnitNew extends DBusSignal {
        private final String unit;

        public UnitNew(String path, String unit, DBusPath unitPath) throws DBusException {
            super(path, unit, unitPath);
            this.unit = unit;
        }

        public String unit() { return unit; }
    }

    /** Emitted when a unit is unloaded (garbage-collected), e.g. a transient unit after it stopped. */
    class UnitRemoved extends DBusSignal {
        private final String unit;

        public UnitRemoved(String path, String unit, DBusPath unitPath) throws DBusException {
            super(path, unit, unitPath);
            this.unit = unit;
        }

        public String unit() { return unit; }
    }
}
