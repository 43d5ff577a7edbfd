import './styles.css';
import { PhoneApp } from './app/phone-app';
import { byId } from './ui/dom';
import { PhoneView } from './ui/phone-view';

const view = new PhoneView();
const app = new PhoneApp(view, byId('remote-audio', HTMLAudioElement));
view.bind(app);
// Leaving the page unregisters, so calls are not sent to a phone that is gone.
window.addEventListener('pagehide', () => void app.signOut());
