//! Per-command timelines. The driver marks what the host does (enqueue,
//! doorbell, event complete) with the card's cycle count; a simulated card
//! records what it does ([`CardEvent`]). [`Timeline::chrome_json`] joins the
//! two into a Chrome trace (JSON) that `chrome://tracing`, Perfetto
//! (ui.perfetto.dev) or Speedscope open. One microsecond in the viewer is one
//! card cycle.

use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use tiledma_contract::command::COMMAND_BYTES;
use tiledma_contract::regs::CMD_RING_TAIL;
use tiledma_contract::trace::{CardEvent, CardEventKind};

/// Something the host did, at a card cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostMark {
    /// Card cycle when it happened.
    pub cycle: u64,
    /// What happened.
    pub kind: HostMarkKind,
}

/// The kinds of [`HostMark`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostMarkKind {
    /// A command record was written into ring position `position`
    /// (counting from the ring's start, not wrapped).
    Enqueue {
        /// The command's cookie.
        cookie: u32,
        /// Ring position.
        position: u32,
    },
    /// The command ring's tail was published.
    Doorbell {
        /// New tail.
        tail: u32,
    },
    /// An event completed (its completion record was read).
    Complete {
        /// The command's cookie.
        cookie: u32,
        /// Engine descriptors the firmware issued for it.
        descriptors: u32,
        /// Completion status code.
        status: u16,
    },
}

/// Where the rings live, to tell the card's bus traffic apart.
#[derive(Clone, Copy, Debug)]
pub struct RingGeometry {
    /// Command ring bus address.
    pub command_base: u64,
    /// Command ring entries.
    pub command_entries: u32,
    /// Completion ring bus address.
    pub completion_base: u64,
    /// Completion ring bytes.
    pub completion_bytes: u64,
}

/// One command's life, in card cycles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandSpan {
    /// Cookie.
    pub cookie: u32,
    /// Host wrote the record.
    pub enqueue: u64,
    /// Host rang the doorbell that published it.
    pub doorbell: Option<u64>,
    /// Firmware read the record.
    pub fetch: Option<u64>,
    /// Descriptors: issued to the engine, started, done.
    pub descriptors: Vec<DescriptorSpan>,
    /// Engine's first read of this command.
    pub first_read: Option<u64>,
    /// Firmware wrote the completion record.
    pub completion_written: Option<u64>,
    /// The interrupt's first rising edge after the record was written (none
    /// when the line was still high from an earlier completion).
    pub interrupt: Option<u64>,
    /// Host completed the event.
    pub complete: Option<u64>,
    /// Completion status code.
    pub status: Option<u16>,
}

impl CommandSpan {
    /// Cycles from the doorbell to the engine's first read: the firmware's
    /// latency for this command.
    pub fn doorbell_to_first_read(&self) -> Option<u64> {
        Some(self.first_read? - self.doorbell?)
    }
}

/// A stage of a command's life: its length in cycles, if both ends were seen.
pub type Stage = fn(&CommandSpan) -> Option<u64>;

/// The stages `--trace` summarises.
pub const STAGES: [(&str, Stage); 5] = [
    ("doorbell → firmware fetch", |s| {
        Some(s.fetch? - s.doorbell?)
    }),
    (
        "doorbell → first engine read",
        CommandSpan::doorbell_to_first_read,
    ),
    ("first engine read → engine done", |s| {
        Some(s.descriptors.last()?.done? - s.first_read?)
    }),
    ("engine done → completion written", |s| {
        Some(s.completion_written? - s.descriptors.last()?.done?)
    }),
    ("completion written → event complete", |s| {
        Some(s.complete? - s.completion_written?)
    }),
];

/// The median of a stage over the commands that have it.
pub fn median(spans: &[CommandSpan], stage: Stage) -> Option<u64> {
    let mut v: Vec<u64> = spans.iter().filter_map(stage).collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// One engine descriptor's times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DescriptorSpan {
    /// Firmware handed it to the engine.
    pub issued: u64,
    /// Engine started it.
    pub started: Option<u64>,
    /// Engine handed back its status.
    pub done: Option<u64>,
}

/// Host marks and card events of one traced run.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// The host's marks, in order.
    pub host: Vec<HostMark>,
    /// The card's events, in order (empty for a card that records none).
    pub card: Vec<CardEvent>,
    /// The rings.
    pub rings: Option<RingGeometry>,
}

impl Timeline {
    /// Each traced command's life. Card events are matched to commands the
    /// way the card orders its work: the firmware fetches by ring slot,
    /// issues descriptors and writes completions in fetch order, and the
    /// engine runs descriptors one at a time in issue order.
    pub fn commands(&self) -> Vec<CommandSpan> {
        let mut spans: Vec<CommandSpan> = Vec::new();
        let mut by_cookie = HashMap::new();
        let mut unrung = Vec::new();
        // Descriptors each command was split into, from its completion.
        let mut counts = Vec::new();
        let mut waiting_fetch: HashMap<u32, VecDeque<usize>> = HashMap::new();
        let Some(rings) = self.rings else {
            return spans;
        };
        for m in &self.host {
            match m.kind {
                HostMarkKind::Enqueue { cookie, position } => {
                    by_cookie.insert(cookie, spans.len());
                    waiting_fetch
                        .entry(position % rings.command_entries)
                        .or_default()
                        .push_back(spans.len());
                    unrung.push(spans.len());
                    counts.push(0);
                    spans.push(CommandSpan {
                        cookie,
                        enqueue: m.cycle,
                        ..Default::default()
                    });
                }
                HostMarkKind::Doorbell { .. } => {
                    for i in unrung.drain(..) {
                        spans[i].doorbell = Some(m.cycle);
                    }
                }
                HostMarkKind::Complete {
                    cookie,
                    descriptors,
                    status,
                } => {
                    if let Some(&i) = by_cookie.get(&cookie) {
                        spans[i].complete = Some(m.cycle);
                        spans[i].status = Some(status);
                        counts[i] = descriptors;
                    }
                }
            }
        }
        // Fetch order; then each command's share of descriptors in that order.
        let mut fetched = Vec::new();
        let ring_end = rings.command_base + rings.command_entries as u64 * COMMAND_BYTES as u64;
        let in_completions = |a: u64| {
            a >= rings.completion_base & !63 && a < rings.completion_base + rings.completion_bytes
        };
        let mut next_completion = 0;
        for e in &self.card {
            match e.kind {
                CardEventKind::BridgeRead { addr }
                    if addr >= rings.command_base && addr < ring_end =>
                {
                    let slot = ((addr - rings.command_base) / COMMAND_BYTES as u64) as u32;
                    if let Some(i) = waiting_fetch.get_mut(&slot).and_then(VecDeque::pop_front) {
                        spans[i].fetch = Some(e.cycle);
                        fetched.push(i);
                    }
                }
                CardEventKind::BridgeWrite { addr } if in_completions(addr) => {
                    if let Some(&i) = fetched.get(next_completion) {
                        spans[i].completion_written = Some(e.cycle);
                        next_completion += 1;
                    }
                }
                _ => {}
            }
        }
        // Descriptors: the k-th issued, started or done is descriptor d of
        // command i, counting each command's share in fetch order.
        let owner: Vec<(usize, usize)> = fetched
            .iter()
            .flat_map(|&i| (0..counts[i] as usize).map(move |d| (i, d)))
            .collect();
        let (mut k_issued, mut k_started, mut k_done) = (0, 0, 0);
        for e in &self.card {
            let (k, stage) = match e.kind {
                CardEventKind::DescriptorIssued => (&mut k_issued, 0),
                CardEventKind::DescriptorStarted => (&mut k_started, 1),
                CardEventKind::DescriptorDone => (&mut k_done, 2),
                _ => continue,
            };
            let slot = owner.get(*k).copied();
            *k += 1;
            let Some((i, d)) = slot else { continue };
            let descriptors = &mut spans[i].descriptors;
            match stage {
                0 => descriptors.push(DescriptorSpan {
                    issued: e.cycle,
                    ..Default::default()
                }),
                1 => descriptors
                    .get_mut(d)
                    .into_iter()
                    .for_each(|x| x.started = Some(e.cycle)),
                _ => descriptors
                    .get_mut(d)
                    .into_iter()
                    .for_each(|x| x.done = Some(e.cycle)),
            }
        }
        // The engine's first read after a command's first descriptor started;
        // the first interrupt after its completion was written.
        for s in &mut spans {
            if let Some(start) = s.descriptors.first().and_then(|d| d.started) {
                s.first_read =
                    self.first_after(start, |k| matches!(k, CardEventKind::EngineRead { .. }));
            }
            if let Some(w) = s.completion_written {
                s.interrupt = self.first_after(w, |k| matches!(k, CardEventKind::Interrupt));
            }
        }
        spans
    }

    fn first_after(&self, cycle: u64, is: impl Fn(&CardEventKind) -> bool) -> Option<u64> {
        let from = self.card.partition_point(|e| e.cycle < cycle);
        self.card[from..]
            .iter()
            .find(|e| is(&e.kind))
            .map(|e| e.cycle)
    }

    /// The trace as Chrome trace-event JSON: a track per command with its
    /// stages as nested slices, and tracks of raw host and card events.
    pub fn chrome_json(&self) -> Value {
        const HOST: u32 = 1;
        const CARD: u32 = 2;
        let mut ev = vec![
            meta_process(HOST, "host (driver)"),
            meta_process(CARD, "card (cycles)"),
            meta_process(3, "commands"),
            meta_thread(HOST, 1, "submit"),
            meta_thread(HOST, 2, "completions"),
            meta_thread(CARD, 1, "firmware bus"),
            meta_thread(CARD, 2, "engine"),
            meta_thread(CARD, 3, "interrupt"),
        ];
        for m in &self.host {
            let (tid, name, args) = match m.kind {
                HostMarkKind::Enqueue { cookie, position } => (
                    1,
                    format!("enqueue #{cookie}"),
                    json!({ "cookie": cookie, "ring_position": position }),
                ),
                HostMarkKind::Doorbell { tail } => (1, "doorbell".into(), json!({ "tail": tail })),
                HostMarkKind::Complete {
                    cookie,
                    descriptors,
                    status,
                } => (
                    2,
                    format!("event complete #{cookie}"),
                    json!({ "cookie": cookie, "descriptors": descriptors, "status": status }),
                ),
            };
            ev.push(instant(HOST, tid, &name, m.cycle, args));
        }
        let mut running: Option<u64> = None;
        for e in &self.card {
            let c = e.cycle;
            match e.kind {
                CardEventKind::RegisterWrite { offset, value } => {
                    let name = if offset == CMD_RING_TAIL {
                        "doorbell (CMD_RING_TAIL)".to_string()
                    } else {
                        format!("BAR0 write 0x{offset:03x}")
                    };
                    ev.push(instant(CARD, 1, &name, c, json!({ "value": value })));
                }
                CardEventKind::BridgeRead { addr } => ev.push(instant(
                    CARD,
                    1,
                    "bridge read",
                    c,
                    json!({ "addr": hex(addr) }),
                )),
                CardEventKind::BridgeWrite { addr } => ev.push(instant(
                    CARD,
                    1,
                    "bridge write",
                    c,
                    json!({ "addr": hex(addr) }),
                )),
                CardEventKind::DescriptorIssued => {
                    ev.push(instant(CARD, 1, "descriptor issued", c, json!({})))
                }
                CardEventKind::DescriptorStarted => running = Some(c),
                CardEventKind::DescriptorDone => {
                    if let Some(s) = running.take() {
                        ev.push(slice(CARD, 2, "descriptor", s, c, json!({})));
                    }
                }
                CardEventKind::EngineRead { addr, beats } => ev.push(instant(
                    CARD,
                    2,
                    "AR",
                    c,
                    json!({ "addr": hex(addr), "beats": beats }),
                )),
                CardEventKind::EngineWrite { addr, beats } => ev.push(instant(
                    CARD,
                    2,
                    "AW",
                    c,
                    json!({ "addr": hex(addr), "beats": beats }),
                )),
                CardEventKind::EngineWriteResponse => {}
                CardEventKind::Interrupt => ev.push(instant(CARD, 3, "interrupt", c, json!({}))),
            }
        }
        for s in self.commands() {
            ev.extend(command_slices(&s));
        }
        json!({
            "traceEvents": ev,
            "displayTimeUnit": "ns",
            "otherData": {
                "time_unit": "1 us in the viewer = 1 card cycle",
                "producer": "tiledma --trace",
            },
        })
    }
}

/// A command's stages as async slices on its own track.
fn command_slices(s: &CommandSpan) -> Vec<Value> {
    let id = s.cookie;
    let name = format!("command #{id}");
    let end = s
        .complete
        .or(s.interrupt)
        .or(s.completion_written)
        .unwrap_or(s.enqueue);
    let args = json!({
        "enqueue": s.enqueue,
        "doorbell": s.doorbell,
        "firmware_fetch": s.fetch,
        "descriptors_issued": s.descriptors.iter().map(|d| d.issued).collect::<Vec<_>>(),
        "engine_first_read": s.first_read,
        "engine_start": s.descriptors.first().and_then(|d| d.started),
        "engine_end": s.descriptors.last().and_then(|d| d.done),
        "completion_written": s.completion_written,
        "interrupt": s.interrupt,
        "event_complete": s.complete,
        "status": s.status,
        "doorbell_to_first_read": s.doorbell.zip(s.first_read).map(|(d, r)| r.saturating_sub(d)),
    });
    let mut out = async_slice(id, &name, s.enqueue, end, args).to_vec();
    let engine_start = s.descriptors.first().and_then(|d| d.started);
    let engine_end = s.descriptors.last().and_then(|d| d.done);
    let stages = [
        ("queued (enqueue → fetch)", Some(s.enqueue), s.fetch),
        (
            "firmware (fetch → descriptor / completion)",
            s.fetch,
            s.descriptors
                .first()
                .map(|d| d.issued)
                .or(s.completion_written),
        ),
        ("engine (start → last status)", engine_start, engine_end),
        (
            "completion (→ record written)",
            engine_end.or(s.fetch),
            s.completion_written,
        ),
        (
            "interrupt → event complete",
            s.completion_written,
            s.complete,
        ),
    ];
    for (stage, from, to) in stages {
        if let (Some(a), Some(b)) = (from, to) {
            if b >= a {
                out.extend(async_slice(id, stage, a, b, json!({})));
            }
        }
    }
    out
}

fn hex(a: u64) -> String {
    format!("0x{a:x}")
}

fn meta_process(pid: u32, name: &str) -> Value {
    json!({ "ph": "M", "name": "process_name", "pid": pid, "args": { "name": name } })
}

fn meta_thread(pid: u32, tid: u32, name: &str) -> Value {
    json!({ "ph": "M", "name": "thread_name", "pid": pid, "tid": tid, "args": { "name": name } })
}

fn instant(pid: u32, tid: u32, name: &str, ts: u64, args: Value) -> Value {
    json!({ "ph": "i", "s": "t", "name": name, "pid": pid, "tid": tid, "ts": ts, "args": args })
}

fn slice(pid: u32, tid: u32, name: &str, from: u64, to: u64, args: Value) -> Value {
    json!({ "ph": "X", "name": name, "pid": pid, "tid": tid, "ts": from, "dur": to - from, "args": args })
}

/// Async begin/end pair: Perfetto draws each id on its own track, nested by time.
fn async_slice(id: u32, name: &str, from: u64, to: u64, args: Value) -> [Value; 2] {
    let begin = json!({ "ph": "b", "cat": "command", "id": id, "name": name, "pid": 3, "tid": 1, "ts": from, "args": args });
    let end = json!({ "ph": "e", "cat": "command", "id": id, "name": name, "pid": 3, "tid": 1, "ts": to });
    [begin, end]
}
