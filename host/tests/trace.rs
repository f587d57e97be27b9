//! `Device::start_trace`/`finish_trace` on the simulated card: every stage
//! of every command is seen, in the order the card does them, and the
//! Chrome trace holds one command track per command.

use tiledma::trace::STAGES;
use tiledma::Copy3d;

mod common;
use common::sim_card;

#[test]
fn a_traced_batch_has_every_stage_in_order() {
    let dev = sim_card();
    let n = 64 * 1024;
    let src = dev.alloc_dma(n).unwrap();
    let dst = dev.alloc_dma(n).unwrap();
    dev.start_trace();
    // One copy alone, then four behind one doorbell.
    dev.run(&[Copy3d::linear(src.iova(), dst.iova(), 4096)])
        .unwrap();
    let batch: Vec<_> = (0..4u64)
        .map(|i| Copy3d::linear(src.iova() + i * 8192, dst.iova() + i * 8192, 8192))
        .collect();
    dev.run(&batch).unwrap();
    let timeline = dev.finish_trace();
    let spans = timeline.commands();
    assert_eq!(spans.len(), 5);
    for s in &spans {
        let d = s.descriptors.first().expect("a descriptor");
        let order = [
            Some(s.enqueue),
            s.doorbell,
            s.fetch,
            Some(d.issued),
            d.started,
            s.first_read,
            d.done,
            s.completion_written,
            s.complete,
        ];
        assert!(order.iter().all(Option::is_some), "{s:?}");
        assert!(
            order.windows(2).all(|w| w[0] <= w[1]),
            "out of order: {s:?}"
        );
        assert_eq!(s.status, Some(0));
        // The interrupt is a level: a completion written while it is still
        // high raises no new edge, and the driver may read a record before
        // the edge. So an interrupt, when seen, only follows the record.
        if let Some(irq) = s.interrupt {
            assert!(irq >= s.completion_written.unwrap(), "{s:?}");
        }
    }
    assert!(spans.iter().any(|s| s.interrupt.is_some()));
    // The batch shares one doorbell; its commands are fetched in ring order.
    assert!(spans[1..].iter().all(|s| s.doorbell == spans[1].doorbell));
    assert!(spans[1..].windows(2).all(|w| w[0].fetch < w[1].fetch));
    for (_, stage) in STAGES {
        assert!(spans.iter().any(|s| stage(s).is_some()));
    }
    let json = timeline.chrome_json();
    let events = json["traceEvents"].as_array().unwrap();
    let tracks = events
        .iter()
        .filter(|e| e["ph"] == "b" && e["name"].as_str().unwrap().starts_with("command #"))
        .count();
    assert_eq!(tracks, 5);
    // Nothing recorded after the trace ends.
    dev.run(&[Copy3d::linear(src.iova(), dst.iova(), 64)])
        .unwrap();
    assert!(dev.finish_trace().host.is_empty());
}
