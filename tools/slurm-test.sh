#!/usr/bin/env bash
# A real single-node Slurm: start munged, slurmctld and slurmd on localhost with a throw-away
# configuration, submit the 4-shard sbatch array of a tiny gal-mnist sweep, wait for it, and check
# that the merged results equal a serial run of the same sweep. Stops the daemons on exit.
# Skips (exit 0, saying why) only where the Slurm daemons cannot be installed or started.
#   tools/slurm-test.sh            (needs: build/, MNIST under BAL_DATA_DIR, root or passwordless sudo)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONFIG="$ROOT/test/fixtures/gal-tiny.json"
WORK=$(mktemp -d /tmp/bal-slurm-XXXXXX)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
skip() { echo "SLURM TEST SKIPPED: $*"; exit 0; }
fail() { echo "SLURM TEST FAILED: $*"; for f in "$WORK"/*.log "$WORK"/results/slurm/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done; exit 1; }

for cmd in slurmctld slurmd sbatch squeue munged; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || skip "'$cmd' is not installed (Debian: slurmctld slurmd slurm-client munge)"
done
export PATH="$PATH:/usr/sbin"

cleanup() {
  [ -f "$WORK/slurmd.pid" ] && $SUDO kill "$(cat "$WORK/slurmd.pid")" 2>/dev/null
  [ -f "$WORK/slurmctld.pid" ] && $SUDO kill "$(cat "$WORK/slurmctld.pid")" 2>/dev/null
  [ -n "${MUNGE_PID:-}" ] && $SUDO kill "$MUNGE_PID" 2>/dev/null
  sleep 1
}
trap cleanup EXIT

# munge: a key and a private socket.
$SUDO mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
[ -f /etc/munge/munge.key ] || { $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
$SUDO chmod 0400 /etc/munge/munge.key
if ! $SUDO munged --force --socket="$WORK/munge.socket" --pid-file="$WORK/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munged.seed" >/dev/null 2>&1; then
  skip "munged does not start ($(tail -n 2 "$WORK/munged.log" 2>/dev/null))"
fi
MUNGE_PID=$(cat "$WORK/munged.pid")

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/results"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=baltest
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$WORK/munge.socket
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"
$SUDO env SLURM_CONF="$SLURM_CONF" slurmctld -f "$SLURM_CONF" || skip "slurmctld does not start ($(tail -n 3 "$WORK/slurmctld.log" 2>/dev/null))"
$SUDO env SLURM_CONF="$SLURM_CONF" slurmd -f "$SLURM_CONF" || skip "slurmd does not start ($(tail -n 3 "$WORK/slurmd.log" 2>/dev/null))"
for i in $(seq 1 30); do
  sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed|alloc" && break
  sleep 1
done
sinfo -h -o %T 2>/dev/null | grep -qE "idle|mixed|alloc" || skip "the node never became idle: $(sinfo 2>&1 | tail -n 2); $(tail -n 3 "$WORK/slurmd.log")"
echo "Slurm is up: $(sinfo -h -o '%P %D %T %C')"

# Serial reference run, then the 4-shard array into a separate results folder.
export BAL_NO_DOWNLOAD=1
BAL_RESULTS_DIR="$WORK/serial" node build/src/cli.js run gal-mnist --config "$CONFIG" > "$WORK/serial.log" 2>&1 || fail "serial run"
export BAL_RESULTS_DIR="$WORK/results"
node build/src/cli.js sbatch gal-mnist --config "$CONFIG" --shards 4 --time 00:20:00 --out "$WORK/array.sbatch" || fail "sbatch generation"
JOB=$(sbatch --parsable "$WORK/array.sbatch") || fail "sbatch submission"
echo "submitted array job $JOB (4 shards)"
for i in $(seq 1 600); do
  [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] || fail "array job $JOB still queued/running after 600 s: $(squeue -j "$JOB")"
ls "$WORK/results/slurm"/*.out >/dev/null 2>&1 || fail "no array task logs"
node build/src/cli.js compare "$WORK/serial/gal-mnist/ci-tiny" "$WORK/results/gal-mnist/ci-tiny" || fail "sharded results differ from the serial run"
echo "SLURM TEST PASSED: 4 array tasks, merged results equal the serial run"
