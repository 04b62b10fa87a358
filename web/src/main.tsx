import { render } from 'preact';
import { App } from './App';
import { TokenStore } from './auth/token-store';
import './app.css';

const tokens = new TokenStore({ storage: window.sessionStorage, location: window.location, history: window.history });
render(<App tokens={tokens} />, document.getElementById('app')!);
