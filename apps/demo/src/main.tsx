import { render } from 'preact';

render(<p>Chatroulette</p>, document.getElementById('app')!);
