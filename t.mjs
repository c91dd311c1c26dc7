const m = await import('libpg-query'); await m.loadModule(); for (let i=0;i<3;i++) m.parseSync('select lower(x) from t'); console.error('done', performance.now()|0)
