// Starts the administrators' console page.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import '../shared/base.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
