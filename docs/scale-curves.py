"""Draws docs/scale-curves.svg from docs/scale-runs.jsonl: python3 docs/scale-curves.py

The runs of the "Measured now" section of docs/scale.md (their commit keys are listed below),
one line per H, V on a log axis. Plain SVG, no plotting library.
"""
import json, math, os

HERE = os.path.dirname(os.path.abspath(__file__))
rows=[json.loads(l) for l in open(os.path.join(HERE, 'scale-runs.jsonl'))]
# the "measured now" runs (the commit key; +dirty: uncommitted edits of docs and the bench
# harness, not of the agent). The previous curves were c8d8870 / 9cb7a0f.
NOW = ('c1e3c2d',)
now=[r for r in rows if r.get('commit','').split('+')[0] in NOW and r.get('rss_mb')]
series={}
for r in now:
    series.setdefault(r['nodes'],{})[r['volumes']]=r   # last run per (H,V) wins
panels=[('create_per_s','creates/s (16 in flight)'),('idle_bytes_per_s_per_node','idle bytes/s per node'),('list_p99_ms','List p99 (ms)'),('rss_mb','node1 RSS (MB)'),('ready_s','ready after restart (s)')]
W,H=300,210; ML,MT,MB,MR=52,28,36,12
colors={3:'#1f77b4',10:'#d62728'}
out=['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'%(W*len(panels),H+24)]
out.append('<rect width="100%" height="100%" fill="white"/>')
xs=[1000,10000,100000]
def xpos(v,x0): return x0+ML+(math.log10(v)-3)/2*(W-ML-MR)
for i,(key,title) in enumerate(panels):
    x0=i*W
    vals=[s[v][key] for s in series.values() for v in s if s[v].get(key) is not None]
    top=max(vals)*1.25 if vals else 1
    def ypos(y): return MT+(1-y/top)*(H-MT-MB)
    out.append('<text x="%d" y="16" font-weight="bold">%s</text>'%(x0+ML,title))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'%(x0+ML,H-MB,x0+W-MR,H-MB))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'%(x0+ML,MT,x0+ML,H-MB))
    for v in xs:
        out.append('<text x="%.0f" y="%d" text-anchor="middle">%s</text>'%(xpos(v,x0),H-MB+14,{1000:'1k',10000:'10k',100000:'100k'}[v]))
    out.append('<text x="%d" y="%d" text-anchor="middle">volumes</text>'%(x0+(W+ML)//2,H-4))
    for f in (0,0.5,1):
        y=top/1.25*f
        out.append('<text x="%d" y="%.0f" text-anchor="end">%s</text>'%(x0+ML-4,ypos(y)+4,('%.0f'%y) if y>=10 or y==0 else '%.1f'%y))
    for h,s in sorted(series.items()):
        pts=[(xpos(v,x0),ypos(s[v][key])) for v in sorted(s) if s[v].get(key) is not None]
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'%(colors.get(h,'gray'),' '.join('%.1f,%.1f'%p for p in pts)))
        for p in pts: out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'%(p[0],p[1],colors.get(h,'gray')))
for j,h in enumerate(sorted(series)):
    out.append('<text x="%d" y="%d" fill="%s">&#9632; H = %d hosts</text>'%(ML+j*110,H+18,colors.get(h,'gray'),h))
out.append('<text x="%d" y="%d">bench scale on 2 vCPUs, 2026-12-05 (commit %s); targets at 3 x 100k: creates 200/s, List p99 50 ms, RSS 300 MB, ready 3 s</text>'%(ML+250,H+18,', '.join(NOW)))
out.append('</svg>')
open(os.path.join(HERE, 'scale-curves.svg'), 'w').write('\n'.join(out))
