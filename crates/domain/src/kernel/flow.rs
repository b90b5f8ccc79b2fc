//! Minimum-cost maximum flow, shared by the optimisations of the program: matching designers to
//! merchants (`designers::matching`) and choosing the 1:1 meetings of a 원정대 event
//! (`discovery::timetable`). Successive shortest paths: Dijkstra on costs reduced by node
//! potentials, stopped once the sink is settled, then a blocking flow over every arc of reduced
//! cost zero, until the sink cannot be reached. Costs must be non-negative.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Arcs gathered before the network is laid out.
#[derive(Default)]
pub(crate) struct NetworkBuilder {
    arcs: Vec<(u32, u32, i64, i64)>,
}

impl NetworkBuilder {
    /// Adds an arc and returns its number.
    pub(crate) fn arc(&mut self, tail: usize, head: usize, capacity: i64, cost: i64) -> usize {
        self.arcs.push((tail as u32, head as u32, capacity, cost));
        self.arcs.len() - 1
    }

    pub(crate) fn len(&self) -> usize {
        self.arcs.len()
    }

    /// Lays the arcs and their reverses out by tail node.
    pub(crate) fn build(self, node_count: usize) -> Network {
        let mut first = vec![0u32; node_count + 1];
        for &(tail, head, _, _) in &self.arcs {
            first[tail as usize + 1] += 1;
            first[head as usize + 1] += 1;
        }
        for node in 0..node_count {
            first[node + 1] += first[node];
        }
        let total = 2 * self.arcs.len();
        let mut next: Vec<u32> = first[..node_count].to_vec();
        let mut network = Network {
            head: vec![0; total],
            residual: vec![0; total],
            cost: vec![0; total],
            reverse: vec![0; total],
            position: Vec::with_capacity(self.arcs.len()),
            first,
        };
        for (tail, head, capacity, cost) in self.arcs {
            let forward = next[tail as usize] as usize;
            next[tail as usize] += 1;
            let backward = next[head as usize] as usize;
            next[head as usize] += 1;
            network.head[forward] = head;
            network.residual[forward] = capacity;
            network.cost[forward] = cost;
            network.reverse[forward] = backward as u32;
            network.head[backward] = tail;
            network.cost[backward] = -cost;
            network.reverse[backward] = forward as u32;
            network.position.push(forward as u32);
        }
        network
    }
}

/// A residual network, arcs grouped by tail (each arc's reverse is `reverse[arc]`).
pub(crate) struct Network {
    pub(crate) first: Vec<u32>,
    pub(crate) head: Vec<u32>,
    pub(crate) residual: Vec<i64>,
    pub(crate) cost: Vec<i64>,
    pub(crate) reverse: Vec<u32>,
    /// Where each added arc was laid out.
    pub(crate) position: Vec<u32>,
}

impl Network {
    pub(crate) fn node_count(&self) -> usize {
        self.first.len() - 1
    }

    pub(crate) fn arcs_of(&self, node: usize) -> std::ops::Range<usize> {
        self.first[node] as usize..self.first[node + 1] as usize
    }

    /// Flow on added arc `arc`: what its reverse may send back.
    pub(crate) fn flow(&self, arc: usize) -> i64 {
        let forward = self.position[arc] as usize;
        self.residual[self.reverse[forward] as usize]
    }

    pub(crate) fn total_cost(&self) -> i64 {
        self.position
            .iter()
            .map(|&forward| {
                let forward = forward as usize;
                self.cost[forward] * self.residual[self.reverse[forward] as usize]
            })
            .sum()
    }
}

pub(crate) struct FlowOutcome {
    pub(crate) rounds: u64,
    pub(crate) augmenting_paths: u64,
    /// Node potentials under which every residual arc has a non-negative reduced cost.
    pub(crate) potential: Vec<i64>,
    /// Nodes the source reaches in the final residual network.
    pub(crate) reachable: Vec<bool>,
}

/// Maximum flow of minimum cost from `source` to `sink`, by successive shortest paths: Dijkstra
/// on reduced costs, stopped once the sink is settled, then a blocking flow over the arcs of
/// reduced cost zero, until the sink cannot be reached. Costs must be non-negative.
pub(crate) fn min_cost_max_flow(network: &mut Network, source: usize, sink: usize) -> FlowOutcome {
    let nodes = network.node_count();
    let mut potential = vec![0i64; nodes];
    let mut distance = vec![i64::MAX; nodes];
    let mut settled = vec![false; nodes];
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
    let mut level = vec![-1i32; nodes];
    let mut next_arc = vec![0usize; nodes];
    let mut queue = VecDeque::new();
    let mut path: Vec<usize> = Vec::new();
    let (mut rounds, mut augmenting_paths) = (0u64, 0u64);
    loop {
        distance.fill(i64::MAX);
        settled.fill(false);
        heap.clear();
        distance[source] = 0;
        heap.push(Reverse((0, source as u32)));
        while let Some(Reverse((d, node))) = heap.pop() {
            let node = node as usize;
            if settled[node] {
                continue;
            }
            settled[node] = true;
            if node == sink {
                break;
            }
            let from_potential = potential[node];
            for arc in network.arcs_of(node) {
                if network.residual[arc] <= 0 {
                    continue;
                }
                let head = network.head[arc] as usize;
                if settled[head] {
                    continue;
                }
                let candidate = d + network.cost[arc] + from_potential - potential[head];
                if candidate < distance[head] {
                    distance[head] = candidate;
                    heap.push(Reverse((candidate, head as u32)));
                }
            }
        }
        if !settled[sink] {
            // Every reachable node was settled.
            return FlowOutcome {
                rounds,
                augmenting_paths,
                potential,
                reachable: settled,
            };
        }
        rounds += 1;
        // Nodes not settled are at least as far as the sink.
        let reach = distance[sink];
        for node in 0..nodes {
            potential[node] += if settled[node] { distance[node] } else { reach };
        }
        // Push along every shortest path: arcs of reduced cost 0, in BFS layers.
        loop {
            level.fill(-1);
            level[source] = 0;
            queue.clear();
            queue.push_back(source);
            while let Some(node) = queue.pop_front() {
                if level[sink] >= 0 && level[node] >= level[sink] {
                    continue;
                }
                for arc in network.arcs_of(node) {
                    let head = network.head[arc] as usize;
                    if network.residual[arc] > 0
                        && level[head] < 0
                        && network.cost[arc] + potential[node] == potential[head]
                    {
                        level[head] = level[node] + 1;
                        queue.push_back(head);
                    }
                }
            }
            if level[sink] < 0 {
                break;
            }
            for (next, &first) in next_arc.iter_mut().zip(&network.first) {
                *next = first as usize;
            }
            path.clear();
            let mut node = source;
            loop {
                if node == sink {
                    let amount = path
                        .iter()
                        .map(|&arc| network.residual[arc])
                        .min()
                        .expect("a path to the sink");
                    for &arc in &path {
                        network.residual[arc] -= amount;
                        network.residual[network.reverse[arc] as usize] += amount;
                    }
                    augmenting_paths += 1;
                    let saturated = path
                        .iter()
                        .position(|&arc| network.residual[arc] == 0)
                        .expect("the bottleneck is saturated");
                    path.truncate(saturated);
                    node = match path.last() {
                        Some(&arc) => network.head[arc] as usize,
                        None => source,
                    };
                    continue;
                }
                let end = network.first[node + 1] as usize;
                let mut found = None;
                while next_arc[node] < end {
                    let arc = next_arc[node];
                    let head = network.head[arc] as usize;
                    if network.residual[arc] > 0
                        && level[head] == level[node] + 1
                        && network.cost[arc] + potential[node] == potential[head]
                    {
                        found = Some(arc);
                        break;
                    }
                    next_arc[node] += 1;
                }
                match found {
                    Some(arc) => {
                        path.push(arc);
                        node = network.head[arc] as usize;
                    }
                    None => {
                        // A dead end: never enter it again in this layering.
                        level[node] = -1;
                        let Some(arc) = path.pop() else {
                            break;
                        };
                        node = network.head[network.reverse[arc] as usize] as usize;
                        next_arc[node] += 1;
                    }
                }
            }
        }
    }
}
