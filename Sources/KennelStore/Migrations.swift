import GRDB

/// The schema, as numbered, append-only migrations. Never edit a released migration;
/// add the next one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-topology-pools-machines", migrate: v1)
        migrator.registerMigration("v2-machine-ssh-keys", migrate: v2)
        migrator.registerMigration("v3-lease-carried-traffic", migrate: v3)
        migrator.registerMigration("v4-operation-steps", migrate: v4)
        migrator.registerMigration("v5-access-audit-operations-events", migrate: v5)
        migrator.registerMigration("v6-volumes-disk-io", migrate: v6)
        migrator.registerMigration("v7-machine-filesystem", migrate: v7)
        migrator.registerMigration("v8-memory-soft-swap", migrate: v8)
        migrator.registerMigration("v9-bandwidth-overcommit", migrate: v9)
        migrator.registerMigration("v10-probe-addresses-operation-results", migrate: v10)
        migrator.registerMigration("v11-user-keys-host-keys", migrate: v11)
        migrator.registerMigration("v12-access-grants", migrate: v12)
        migrator.registerMigration("v13-machine-sources", migrate: v13)
        migrator.registerMigration("v14-machine-imported-state", migrate: v14)
        migrator.registerMigration("v15-import-rows", migrate: v15)
        return migrator
    }

    /// Topology (IDC › zone › rack › host), pools, machines, leases, operations.
    static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE idc (name TEXT PRIMARY KEY NOT NULL) STRICT;
                -- Site-wide settings, such as the placement scoring policy.
                CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;
                CREATE TABLE zone (
                    idc TEXT NOT NULL REFERENCES idc(name),
                    name TEXT NOT NULL,
                    PRIMARY KEY (idc, name)
                ) STRICT;
                CREATE TABLE rack (
                    idc TEXT NOT NULL, zone TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (idc, zone, name),
                    FOREIGN KEY (idc, zone) REFERENCES zone(idc, name)
                ) STRICT;
                CREATE TABLE host (
                    name TEXT PRIMARY KEY NOT NULL,
                    uri TEXT NOT NULL,
                    idc TEXT NOT NULL, zone TEXT NOT NULL, rack TEXT NOT NULL,
                    cpus INTEGER NOT NULL CHECK (cpus > 0),
                    memory_bytes INTEGER NOT NULL CHECK (memory_bytes > 0),
                    disk_bytes INTEGER NOT NULL CHECK (disk_bytes > 0),
                    cpu_overcommit REAL NOT NULL, memory_overcommit REAL NOT NULL, disk_overcommit REAL NOT NULL,
                    bridge TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'draining', 'maintenance', 'down')),
                    bandwidth_bps INTEGER CHECK (bandwidth_bps > 0),
                    class TEXT,
                    labels TEXT NOT NULL,
                    FOREIGN KEY (idc, zone, rack) REFERENCES rack(idc, zone, name)
                ) STRICT;
                CREATE INDEX host_by_idc ON host(idc, zone);
                CREATE TABLE host_vlan (
                    host TEXT NOT NULL REFERENCES host(name) ON DELETE CASCADE,
                    vlan INTEGER NOT NULL CHECK (vlan BETWEEN 1 AND 4094),
                    PRIMARY KEY (host, vlan)
                ) STRICT;
                CREATE TABLE pool (
                    name TEXT PRIMARY KEY NOT NULL,
                    network INTEGER NOT NULL,
                    prefix INTEGER NOT NULL CHECK (prefix BETWEEN 1 AND 30),
                    gateway INTEGER NOT NULL,
                    vlan INTEGER NOT NULL CHECK (vlan BETWEEN 1 AND 4094),
                    idc TEXT NOT NULL REFERENCES idc(name),
                    ranges TEXT NOT NULL,
                    exclusions TEXT NOT NULL,
                    dns TEXT NOT NULL,
                    search_domain TEXT,
                    quarantine_seconds INTEGER NOT NULL CHECK (quarantine_seconds >= 0)
                ) STRICT;
                -- Free addresses of each pool as disjoint runs, so the lowest free address and
                -- the run holding an address are index lookups (O(log n)), never scans.
                CREATE TABLE pool_free (
                    pool TEXT NOT NULL REFERENCES pool(name) ON DELETE CASCADE,
                    first INTEGER NOT NULL,
                    last INTEGER NOT NULL CHECK (last >= first),
                    PRIMARY KEY (pool, first)
                ) STRICT, WITHOUT ROWID;
                CREATE UNIQUE INDEX pool_free_by_last ON pool_free(pool, last);
                CREATE TABLE pool_zone (
                    pool TEXT NOT NULL REFERENCES pool(name) ON DELETE CASCADE,
                    idc TEXT NOT NULL, zone TEXT NOT NULL,
                    PRIMARY KEY (pool, zone),
                    FOREIGN KEY (idc, zone) REFERENCES zone(idc, name)
                ) STRICT;
                CREATE TABLE machine (
                    name TEXT PRIMARY KEY NOT NULL,
                    uuid TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'provisioning', 'running', 'stopped', 'deleting', 'failed')),
                    host TEXT NOT NULL REFERENCES host(name),
                    cpus INTEGER NOT NULL, memory_bytes INTEGER NOT NULL, disk_bytes INTEGER NOT NULL,
                    image TEXT NOT NULL,
                    ingress_bps INTEGER, egress_bps INTEGER,
                    service TEXT, owner TEXT, failure TEXT,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX machine_by_host ON machine(host);
                CREATE INDEX machine_by_service ON machine(service);
                -- What each host's machines reserve, and how many machines of each service it
                -- carries: kept by triggers on machine, so placement reads O(hosts) rows instead
                -- of summing every machine, and the totals cannot drift from the rows.
                CREATE TABLE host_usage (
                    host TEXT PRIMARY KEY NOT NULL REFERENCES host(name) ON DELETE CASCADE,
                    machines INTEGER NOT NULL, cpus INTEGER NOT NULL, memory_bytes INTEGER NOT NULL, disk_bytes INTEGER NOT NULL,
                    ingress_bps INTEGER NOT NULL, egress_bps INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE host_service (
                    host TEXT NOT NULL REFERENCES host(name) ON DELETE CASCADE,
                    service TEXT NOT NULL,
                    machines INTEGER NOT NULL CHECK (machines > 0),
                    PRIMARY KEY (host, service)
                ) STRICT, WITHOUT ROWID;
                CREATE TRIGGER machine_reserves AFTER INSERT ON machine BEGIN
                    INSERT INTO host_usage (host, machines, cpus, memory_bytes, disk_bytes, ingress_bps, egress_bps)
                    VALUES (NEW.host, 1, NEW.cpus, NEW.memory_bytes, NEW.disk_bytes, COALESCE(NEW.ingress_bps, 0), COALESCE(NEW.egress_bps, 0))
                    ON CONFLICT (host) DO UPDATE SET machines = machines + 1, cpus = cpus + NEW.cpus,
                        memory_bytes = memory_bytes + NEW.memory_bytes, disk_bytes = disk_bytes + NEW.disk_bytes,
                        ingress_bps = ingress_bps + COALESCE(NEW.ingress_bps, 0), egress_bps = egress_bps + COALESCE(NEW.egress_bps, 0);
                    INSERT INTO host_service (host, service, machines) SELECT NEW.host, NEW.service, 1 WHERE NEW.service IS NOT NULL
                    ON CONFLICT (host, service) DO UPDATE SET machines = machines + 1;
                END;
                CREATE TRIGGER machine_releases AFTER DELETE ON machine BEGIN
                    UPDATE host_usage SET machines = machines - 1, cpus = cpus - OLD.cpus,
                        memory_bytes = memory_bytes - OLD.memory_bytes, disk_bytes = disk_bytes - OLD.disk_bytes,
                        ingress_bps = ingress_bps - COALESCE(OLD.ingress_bps, 0), egress_bps = egress_bps - COALESCE(OLD.egress_bps, 0)
                    WHERE host = OLD.host;
                    UPDATE host_service SET machines = machines - 1 WHERE host = OLD.host AND service = OLD.service AND machines > 1;
                    DELETE FROM host_service WHERE host = OLD.host AND service = OLD.service AND machines = 1;
                END;
                CREATE TRIGGER machine_moves AFTER UPDATE OF host, service, cpus, memory_bytes, disk_bytes, ingress_bps, egress_bps ON machine BEGIN
                    UPDATE host_usage SET machines = machines - 1, cpus = cpus - OLD.cpus,
                        memory_bytes = memory_bytes - OLD.memory_bytes, disk_bytes = disk_bytes - OLD.disk_bytes,
                        ingress_bps = ingress_bps - COALESCE(OLD.ingress_bps, 0), egress_bps = egress_bps - COALESCE(OLD.egress_bps, 0)
                    WHERE host = OLD.host;
                    UPDATE host_service SET machines = machines - 1 WHERE host = OLD.host AND service = OLD.service AND machines > 1;
                    DELETE FROM host_service WHERE host = OLD.host AND service = OLD.service AND machines = 1;
                    INSERT INTO host_usage (host, machines, cpus, memory_bytes, disk_bytes, ingress_bps, egress_bps)
                    VALUES (NEW.host, 1, NEW.cpus, NEW.memory_bytes, NEW.disk_bytes, COALESCE(NEW.ingress_bps, 0), COALESCE(NEW.egress_bps, 0))
                    ON CONFLICT (host) DO UPDATE SET machines = machines + 1, cpus = cpus + NEW.cpus,
                        memory_bytes = memory_bytes + NEW.memory_bytes, disk_bytes = disk_bytes + NEW.disk_bytes,
                        ingress_bps = ingress_bps + COALESCE(NEW.ingress_bps, 0), egress_bps = egress_bps + COALESCE(NEW.egress_bps, 0);
                    INSERT INTO host_service (host, service, machines) SELECT NEW.host, NEW.service, 1 WHERE NEW.service IS NOT NULL
                    ON CONFLICT (host, service) DO UPDATE SET machines = machines + 1;
                END;
                -- A lease is active while its machine exists; after the machine is deleted it is
                -- quarantined (still naming that machine, for sticky re-creation) until the
                -- pool's quarantine period ends, then removed and its address freed.
                CREATE TABLE lease (
                    pool TEXT NOT NULL REFERENCES pool(name),
                    address INTEGER NOT NULL,
                    mac TEXT NOT NULL UNIQUE,
                    machine TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('active', 'quarantined')),
                    released_at TEXT,
                    quarantined_until TEXT,
                    PRIMARY KEY (pool, address)
                ) STRICT;
                CREATE UNIQUE INDEX lease_active_machine ON lease(machine) WHERE state = 'active';
                CREATE INDEX lease_by_machine ON lease(machine, state);
                CREATE INDEX lease_quarantine ON lease(pool, state, quarantined_until);
                CREATE TABLE operation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    machine TEXT NOT NULL,
                    error TEXT,
                    started_at TEXT NOT NULL,
                    finished_at TEXT
                ) STRICT;
                CREATE INDEX operation_by_machine ON operation(machine);
                """)
    }

    /// Root's SSH keys per machine (one OpenSSH public key per line), written into the
    /// machine's `authorized_keys` whenever its root filesystem is provisioned.
    static func v2(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE machine ADD COLUMN ssh_keys TEXT NOT NULL DEFAULT ''")
    }

    /// Whether a lease's address ever carried traffic: set when its machine first runs.
    /// Quarantine protects addresses other hosts may still have in their ARP caches; an
    /// address whose machine never started goes back to the pool at once on delete.
    /// Leases from before this column are taken as used.
    static func v3(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE lease ADD COLUMN carried_traffic INTEGER NOT NULL DEFAULT 1")
    }

    /// Each operation's steps as they run (name, start, end, error), and the code of a
    /// failed operation next to its text: the base for progress, async operations and
    /// resuming after a crash.
    static func v4(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE operation ADD COLUMN error_code TEXT;
                CREATE TABLE operation_step (
                    operation INTEGER NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    outcome TEXT NOT NULL DEFAULT 'running',
                    error TEXT,
                    PRIMARY KEY (operation, position)
                ) STRICT;
                """)
    }

    /// The API platform: machines belong to a team; users, teams, memberships and API
    /// tokens (only their SHA-256 hash); the append-only audit log; operations that
    /// queue (`state`, who asked); the bounded event log behind `/api/v1/events`.
    static func v5(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE machine ADD COLUMN team TEXT;
                CREATE INDEX machine_by_team ON machine(team);
                CREATE TABLE api_user (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE TABLE api_team (name TEXT PRIMARY KEY, created_at TEXT NOT NULL) STRICT;
                CREATE TABLE team_member (
                    team TEXT NOT NULL REFERENCES api_team(name) ON DELETE CASCADE,
                    user TEXT NOT NULL REFERENCES api_user(name) ON DELETE CASCADE,
                    PRIMARY KEY (team, user)
                ) STRICT;
                CREATE INDEX team_member_by_user ON team_member(user);
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user TEXT NOT NULL REFERENCES api_user(name) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL,
                    revoked_at TEXT,
                    last_used_at TEXT
                ) STRICT;
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target_kind TEXT NOT NULL,
                    target TEXT NOT NULL,
                    before TEXT,
                    after TEXT,
                    source TEXT,
                    operation INTEGER
                ) STRICT;
                CREATE INDEX audit_by_target ON audit(target_kind, target);
                CREATE INDEX audit_by_user ON audit(user);
                CREATE INDEX audit_by_time ON audit(at);
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                ALTER TABLE operation ADD COLUMN state TEXT NOT NULL DEFAULT 'succeeded';
                UPDATE operation SET state = CASE WHEN finished_at IS NULL THEN 'running'
                                                  WHEN error IS NULL THEN 'succeeded' ELSE 'failed' END;
                ALTER TABLE operation ADD COLUMN requested_by TEXT NOT NULL DEFAULT 'kennel';
                ALTER TABLE operation ADD COLUMN team TEXT;
                ALTER TABLE operation ADD COLUMN message TEXT;
                ALTER TABLE operation ADD COLUMN total_steps INTEGER NOT NULL DEFAULT 0;
                UPDATE operation SET message = error WHERE error IS NOT NULL;
                CREATE INDEX operation_by_state ON operation(state);
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    type TEXT NOT NULL,
                    machine TEXT,
                    operation INTEGER,
                    team TEXT,
                    data TEXT NOT NULL
                ) STRICT;
                """)
    }

    /// Quota disks: each host's volume driver (`loopfile:/DIR`, `lvm:VG/POOL`) and each
    /// machine's throttles on its root volume.
    static func v6(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE host ADD COLUMN volumes TEXT NOT NULL DEFAULT 'loopfile:/var/lib/kennel/volumes';
                ALTER TABLE machine ADD COLUMN disk_read_bps INTEGER CHECK (disk_read_bps > 0);
                ALTER TABLE machine ADD COLUMN disk_write_bps INTEGER CHECK (disk_write_bps > 0);
                ALTER TABLE machine ADD COLUMN disk_read_iops INTEGER CHECK (disk_read_iops > 0);
                ALTER TABLE machine ADD COLUMN disk_write_iops INTEGER CHECK (disk_write_iops > 0);
                """)
    }

    /// The filesystem on each machine's root volume; machines made before it have XFS.
    static func v7(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE machine ADD COLUMN filesystem TEXT NOT NULL DEFAULT 'xfs' CHECK (filesystem IN ('xfs', 'ext4'));
                """)
    }

    /// A machine's memory soft limit and swap (beyond memory; 0 for none), both optional.
    static func v8(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE machine ADD COLUMN memory_soft_bytes INTEGER CHECK (memory_soft_bytes > 0);
                ALTER TABLE machine ADD COLUMN swap_bytes INTEGER CHECK (swap_bytes >= 0);
                """)
    }

    /// How far a host's NIC bandwidth may be promised to machines' limits.
    static func v9(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE host ADD COLUMN bandwidth_overcommit REAL NOT NULL DEFAULT 1.0 CHECK (bandwidth_overcommit > 0);
                """)
    }

    /// Addresses a bandwidth self-test borrows from a pool for its probe while it runs
    /// (taken from the free addresses, given back at its end or at start-up), and what an
    /// operation produced (its JSON: a bandwidth report).
    static func v10(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE probe_address (
                    pool TEXT NOT NULL REFERENCES pool(name),
                    address INTEGER NOT NULL,
                    operation INTEGER NOT NULL UNIQUE,
                    PRIMARY KEY (pool, address)
                ) STRICT;
                ALTER TABLE operation ADD COLUMN result TEXT;
                """)
    }

    /// Users' SSH public keys (one user per key: a key names a person), and each machine's
    /// SSH host public keys as its host made them, gone with the machine.
    static func v11(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE user_key (
                    fingerprint TEXT PRIMARY KEY NOT NULL,
                    user TEXT NOT NULL REFERENCES api_user(name) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    bits INTEGER NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX user_key_by_user ON user_key(user);
                CREATE TABLE machine_host_key (
                    machine TEXT NOT NULL REFERENCES machine(name) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    PRIMARY KEY (machine, key)
                ) STRICT;
                """)
    }

    /// Access to machines beyond a user's teams: a user or team → a machine or a service.
    static func v12(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE access_grant (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'team')),
                    subject TEXT NOT NULL,
                    target_kind TEXT NOT NULL CHECK (target_kind IN ('machine', 'service')),
                    target TEXT NOT NULL,
                    expires_at TEXT,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                """)
    }

    /// The id of the inventory row each imported machine came from (vCenter UUID, NetBox
    /// or Nova id): a re-run of the same file finds its machines by it.
    static func v13(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE machine_source (
                    machine TEXT PRIMARY KEY REFERENCES machine(name) ON DELETE CASCADE,
                    source_id TEXT NOT NULL UNIQUE
                ) STRICT;
                """)
    }
}

extension Migrations {
    /// State `imported`: a machine taken in by a records-only import, never built. SQLite
    /// cannot change a CHECK in place, so the table is rebuilt from its own definition
    /// (with the state added), and its indexes and triggers made again (the migrator runs
    /// with foreign keys off and checks them all before it commits).
    static func v14(_ db: Database) throws {
        guard let table = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'machine'") else {
            throw DatabaseError(message: "v14: no machine table")
        }
        let dependents = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_schema WHERE tbl_name = 'machine' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
        let states = "'deleting', 'failed')"
        guard table.hasPrefix("CREATE TABLE machine ("), table.contains(states) else {
            throw DatabaseError(message: "v14: the machine table is not as v1 made it")
        }
        let rebuilt = table.replacingOccurrences(of: "CREATE TABLE machine (", with: "CREATE TABLE machine_v14 (")
            .replacingOccurrences(of: states, with: "'deleting', 'failed', 'imported')")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO machine_v14 SELECT * FROM machine")
        try db.execute(sql: "DROP TABLE machine")
        try db.execute(sql: "ALTER TABLE machine_v14 RENAME TO machine")
        for statement in dependents { try db.execute(sql: statement) }
    }
}

extension Migrations {
    /// Each row's result of an import, kept beside its operation (whose result keeps the
    /// totals only: an estate's import has 100,000 rows).
    static func v15(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE import_row (
                    operation INTEGER NOT NULL REFERENCES operation(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    file TEXT,
                    row INTEGER NOT NULL,
                    source_name TEXT NOT NULL,
                    source_id TEXT,
                    machine TEXT,
                    result TEXT NOT NULL CHECK (result IN ('created', 'updated', 'unchanged', 'skipped', 'error', 'failed')),
                    reason TEXT,
                    PRIMARY KEY (operation, position)
                ) STRICT, WITHOUT ROWID;
                """)
    }
}
