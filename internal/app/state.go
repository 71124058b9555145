package app

import (
	"context"
	"hash/fnv"
	"time"
)

// What a crawler learns is saved on the bus (object store newsflow_state,
// one object a source and kind) so that the next process, a crawl run from
// cron or a restarted service, goes on from it instead of starting over:
// each source's template memory, and the feeds and sitemaps its discovery
// read whole, with their validators, so that the next first run asks for
// them conditionally. Several crawler processes each load the saved state
// at start; a template memory is merged with what the others saved before
// it is saved, remembered documents are simply replaced (the last save
// wins, which costs at most a full read of a feed).

// siteStateName is the object name of a source's template memory.
func siteStateName(source string) string { return "sites/" + source }

// stateSaveTimeout bounds one save, so that a slow server cannot hold up a
// shutdown.
const stateSaveTimeout = 10 * time.Second

// loadSiteMemories gives each source's memory what an earlier process
// saved. A memory that cannot be read is logged and started afresh: it
// only costs the learning.
func (a *App) loadSiteMemories(ctx context.Context) {
	for name, mem := range a.sites {
		data, ok, err := a.Bus.GetState(ctx, siteStateName(name))
		if err != nil {
			a.stateFailed(name, "template_load", err)
			continue
		}
		if !ok {
			continue
		}
		if err := mem.UnmarshalBinary(data); err != nil {
			a.stateFailed(name, "template_load", err)
			continue
		}
		a.sitesSaved.Store(name, mem.Pages())
		a.Log.Debug("template memory loaded", "source", name, "pages", mem.Pages(), "bytes", len(data))
	}
}

// saveSiteMemory saves a source's memory when it has recorded pages since
// it was loaded or last saved. What other crawler processes saved in the
// meantime is merged in first, so that crawlers sharing a source's pages
// learn its template together. It gives up when ctx ends, and after
// stateSaveTimeout at the most.
func (a *App) saveSiteMemory(ctx context.Context, source string) {
	mem := a.sites[source]
	if mem == nil || a.Bus == nil {
		return
	}
	pages := mem.Pages()
	if last, ok := a.sitesSaved.Load(source); ok && last.(uint64) == pages || pages == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, stateSaveTimeout)
	defer cancel()
	// Saved state that cannot be read or merged is replaced by this one.
	if saved, ok, err := a.Bus.GetState(ctx, siteStateName(source)); err == nil && ok {
		_ = mem.Merge(saved)
	}
	pages = mem.Pages()
	data, err := mem.MarshalBinary()
	if err == nil {
		err = a.Bus.PutState(ctx, siteStateName(source), data)
	}
	if err != nil {
		a.stateFailed(source, "template_save", err)
		return
	}
	a.sitesSaved.Store(source, pages)
	a.Log.Debug("template memory saved", "source", source, "pages", pages, "bytes", len(data))
}

// discoveryStateName is the object name of a source's remembered feeds
// and sitemaps.
func discoveryStateName(source string) string { return "discovery/" + source }

// loadDiscoveries gives the discoverer the feeds and sitemaps of each
// source that an earlier process read whole. What cannot be loaded is
// logged: the first run then reads those documents whole.
func (a *App) loadDiscoveries(ctx context.Context) {
	for _, src := range a.Config.Sources {
		data, ok, err := a.Bus.GetState(ctx, discoveryStateName(src.Name))
		if err == nil && ok {
			err = a.discoverer.Remember(src.Name, data)
		}
		if err != nil {
			a.stateFailed(src.Name, "discovery_load", err)
			continue
		}
		if ok {
			a.discoverySaved.Store(src.Name, stateHash(data))
		}
	}
}

// saveDiscovery saves the feeds and sitemaps a source's discovery
// remembers, when they changed since loaded or last saved.
func (a *App) saveDiscovery(ctx context.Context, source string) {
	data, err := a.discoverer.Remembered(source)
	if err != nil || data == nil {
		if err != nil {
			a.stateFailed(source, "discovery_save", err)
		}
		return
	}
	h := stateHash(data)
	if last, ok := a.discoverySaved.Load(source); ok && last.(uint64) == h {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateSaveTimeout)
	defer cancel()
	if err := a.Bus.PutState(ctx, discoveryStateName(source), data); err != nil {
		a.stateFailed(source, "discovery_save", err)
		return
	}
	a.discoverySaved.Store(source, h)
}

// stateHash tells saved state apart from changed state.
func stateHash(data []byte) uint64 {
	h := fnv.New64a()
	h.Write(data)
	return h.Sum64()
}

// stateFailed reports state that could not be loaded or saved. It costs
// only learning (the template is learned again, feeds are read whole), so
// it is a warning, counted under the stage "state" in the metrics.
func (a *App) stateFailed(source, reason string, err error) {
	a.Metrics.Failed("state", source, reason, err.Error())
	a.Log.Warn("crawler state not kept; it will be learned again", "source", source, "what", reason, "err", err)
}
